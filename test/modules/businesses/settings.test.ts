// A business's `settings`: a JSON object of at most 16 KB (serialized UTF-8 bytes) and depth 5 whose text
// jsonb can store, on create and on PATCH; anything else is 400 naming `settings`.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const ctx = useTestApp()
const call = (options: InjectOptions) => ctx.app.inject(options)

const LIMIT = 16 * 1024

/** `{"note":"…"}` of exactly `bytes` bytes as JSON, with one two-byte character when `wide`. */
function settingsOfBytes(bytes: number, { wide = false } = {}): Record<string, unknown> {
  const frame = Buffer.byteLength(JSON.stringify({ note: '' }))
  const note = wide ? `é${'x'.repeat(bytes - frame - 2)}` : 'x'.repeat(bytes - frame)
  const settings = { note }
  expect(Buffer.byteLength(JSON.stringify(settings))).toBe(bytes)
  return settings
}

/** An object `depth` levels deep, the outermost counted: depth 1 is `{ "leaf": true }`. */
function nested(depth: number, wrap: (inner: unknown) => unknown = (inner) => ({ next: inner })) {
  let value: unknown = { leaf: true }
  for (let level = 1; level < depth; level++) value = wrap(value)
  return value as Record<string, unknown>
}

let owner: TestUser
let businessId: string

beforeAll(async () => {
  owner = await makeUser(ctx.app, { role: 'creator' })
  businessId = (await call({ url: '/api/businesses/', headers: owner.auth })).json().data[0].id
})

const create = (settings: unknown) =>
  call({
    method: 'POST',
    url: '/api/businesses/',
    headers: owner.auth,
    payload: { name: uniqueName('Settings '), settings },
  })
const patch = (settings: unknown) =>
  call({ method: 'PATCH', url: `/api/businesses/${businessId}/`, headers: owner.auth, payload: { settings } })

function expectRefused(response: Awaited<ReturnType<typeof call>>) {
  expect(response.statusCode, response.body.slice(0, 200)).toBe(400)
  expect(response.json().code).toBe('validation_error')
  expect(Object.keys(response.json().errors)).toEqual(['settings'])
}

describe.each([
  ['POST /api/businesses/', create, 201],
  ['PATCH /api/businesses/{id}/', patch, 200],
] as const)('settings on %s', (_route, send, success) => {
  it('accepts exactly 16 KB and refuses one byte more, counting UTF-8 bytes', async () => {
    const fits = settingsOfBytes(LIMIT)
    const accepted = await send(fits)
    expect(accepted.statusCode, accepted.body.slice(0, 200)).toBe(success)
    expect(accepted.json().data.settings).toEqual(fits)
    expectRefused(await send(settingsOfBytes(LIMIT + 1)))
    // 16,384 characters, but 16,385 bytes.
    const wide = settingsOfBytes(LIMIT + 1, { wide: true })
    expect(JSON.stringify(wide)).toHaveLength(LIMIT)
    expectRefused(await send(wide))
  })

  it('accepts depth 5 and refuses depth 6, arrays counted as levels', async () => {
    for (const depth5 of [nested(5), { list: nested(4, (inner) => [inner]) }]) {
      const accepted = await send(depth5)
      expect(accepted.statusCode, accepted.body).toBe(success)
      expect(accepted.json().data.settings).toEqual(depth5)
    }
    expectRefused(await send(nested(6)))
    expectRefused(await send({ list: nested(5, (inner) => [inner]) }))
  })

  it('refuses anything but an object', async () => {
    for (const value of [[], ['a'], 'text', 3, true, null]) expectRefused(await send(value))
  })

  it('refuses text jsonb cannot store (NUL, lone surrogates) in keys and values, at any level', async () => {
    for (const value of [
      { a: '\u0000' },
      { 'b\u0000': 1 },
      { a: ['\ud800'] },
      nested(4, (inner) => [inner, '\udc00']),
    ])
      expectRefused(await send(value))
    const paired = { emoji: '\ud83d\ude00' }
    expect((await send(paired)).statusCode).toBe(success)
  })
})

it('keeps refused settings out of the business', async () => {
  await patch({ theme: 'dark' })
  expectRefused(await patch(nested(6)))
  const read = await call({ url: `/api/businesses/${businessId}/`, headers: owner.auth })
  expect(read.json().data.settings).toEqual({ theme: 'dark' })
})
