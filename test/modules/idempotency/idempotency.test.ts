// Idempotency-Key (API.md "Idempotent writes"): the first answer is kept with the request's writes and
// replayed for the same caller, method, path, key and body; another body is 422; a 5xx is neither kept
// nor its writes; concurrent retries wait for the first and replay it.
import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sweepExpiredIdempotencyKeys } from '../../../src/modules/idempotency/sweep.js'
import { idempotencyKeys } from '../../../src/modules/idempotency/tables.js'
import { platformSettings } from '../../../src/modules/settings/tables.js'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { usesPostgres, useTestApp } from '../../helpers/app.js'
import { makeSession } from '../../helpers/factories.js'

let flakyCalls = 0
let openGate: () => void = () => {}
let entered: () => void = () => {}
const ctx = useTestApp({
  setup(app) {
    // Runs until the test lets it finish.
    app.post('/api/test/slow/', async (_request, reply) => {
      entered()
      await new Promise<void>((resolve) => {
        openGate = resolve
      })
      return reply.code(201).send({ data: { done: true } })
    })
    // Fails once, then succeeds: a retry after a 5xx must run again.
    app.post('/api/test/flaky/', async (_request, reply) => {
      flakyCalls += 1
      if (flakyCalls === 1) throw new Error('first call fails')
      return reply.code(201).send({ data: { calls: flakyCalls } })
    })
    // Writes, then fails: the write must not outlive the 5xx when the request carried a key.
    app.post('/api/test/write-then-fail/', async () => {
      await app.deps.database.db
        .update(platformSettings)
        .set({ siteName: 'Written' })
        .where(eq(platformSettings.id, 1))
      throw new Error('failed after writing')
    })
  },
})
const db = () => ctx.app.deps.database.db

let owner: TestUser
let customer: TestUser
let session: string
const date = () => new Date(Date.now() + 7 * 86_400_000).toISOString()

beforeAll(async () => {
  owner = await makeUser(ctx.app, { role: 'creator' })
  customer = await makeUser(ctx.app)
  session = (await makeSession(ctx.app, owner, { max_participants: 3 })).id
})

const book = (
  user: TestUser,
  key: string | undefined,
  bookingDate: string,
  extra: Record<string, unknown> = {},
) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/bookings/',
    headers: { ...user.auth, ...(key !== undefined && { 'idempotency-key': key }) },
    payload: { session, booking_date: bookingDate, ...extra },
  })

const bookingsAt = async (bookingDate: string) =>
  (
    await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from bookings where session_id = ${session} and booking_date = ${bookingDate}`,
    )
  )[0]?.n

describe('Idempotency-Key', () => {
  it('replays the first answer, marked, without writing twice', async () => {
    const key = randomUUID()
    const at = date()
    const first = await book(customer, key, at)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.headers['idempotent-replayed']).toBeUndefined()
    const again = await book(customer, key, at)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    expect(await bookingsAt(at)).toBe(1)
  })

  it('50 concurrent identical requests with one key make one booking and get one answer', async () => {
    const key = randomUUID()
    const at = new Date(Date.now() + 9 * 86_400_000).toISOString()
    const answers = await Promise.all(Array.from({ length: 50 }, () => book(customer, key, at)))
    expect(new Set(answers.map((answer) => `${answer.statusCode} ${answer.body}`)).size).toBe(1)
    expect(answers[0]?.statusCode).toBe(201)
    expect(answers.filter((answer) => answer.headers['idempotent-replayed'] === 'true')).toHaveLength(49)
    expect(await bookingsAt(at)).toBe(1)
  })

  it('refuses the key with another body (422), and keeps keys apart by caller and path', async () => {
    const key = randomUUID()
    const at = new Date(Date.now() + 11 * 86_400_000).toISOString()
    expect((await book(customer, key, at)).statusCode).toBe(201)
    const other = await book(customer, key, new Date(Date.now() + 12 * 86_400_000).toISOString())
    expect(other.statusCode).toBe(422)
    expect(other.json().code).toBe('idempotency_key_reused')
    // Another caller with the same key and body books for themself.
    const someoneElse = await makeUser(ctx.app)
    const theirs = await book(someoneElse, key, at)
    expect(theirs.statusCode).toBe(201)
    expect(theirs.headers['idempotent-replayed']).toBeUndefined()
    expect(await bookingsAt(at)).toBe(2)
  })

  it('keeps a 4xx answer too: the retry gets the same refusal', async () => {
    const key = randomUUID()
    const past = new Date(Date.now() - 86_400_000).toISOString()
    const first = await book(customer, key, past)
    expect(first.statusCode).toBe(400)
    const again = await book(customer, key, past)
    expect(again.statusCode).toBe(400)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(first.body)
  })

  it('keeps no 5xx: the retry runs again', async () => {
    const key = randomUUID()
    const call = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/test/flaky/',
        headers: { 'idempotency-key': key },
        payload: {},
      })
    expect((await call()).statusCode).toBe(500)
    const retry = await call()
    expect(retry.statusCode).toBe(201)
    expect(retry.json().data.calls).toBe(2)
    expect((await call()).headers['idempotent-replayed']).toBe('true')
  })

  it('rolls back the writes of a request with a key that ends in a 5xx', async () => {
    const siteName = async () =>
      (await db().select({ siteName: platformSettings.siteName }).from(platformSettings))[0]?.siteName
    const before = await siteName()
    const failed = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/write-then-fail/',
      headers: { 'idempotency-key': randomUUID() },
      payload: {},
    })
    expect(failed.statusCode).toBe(500)
    expect(await siteName()).toBe(before)
    // Without a key the write is the handler's own business, as ever.
    await ctx.app.inject({ method: 'POST', url: '/api/test/write-then-fail/', payload: {} })
    expect(await siteName()).toBe('Written')
    await db()
      .update(platformSettings)
      .set({ siteName: before ?? 'Tessera' })
      .where(eq(platformSettings.id, 1))
  })

  it.skipIf(!usesPostgres)(
    'answers 409 in progress, with Retry-After, to a retry while the first runs on (after 5 s)',
    async () => {
      const key = randomUUID()
      const call = () =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/test/slow/',
          headers: { 'idempotency-key': key },
          payload: {},
        })
      const running = new Promise<void>((resolve) => {
        entered = resolve
      })
      const first = call()
      await running
      const retry = await call()
      expect(retry.statusCode).toBe(409)
      expect(retry.json().code).toBe('idempotency_in_progress')
      expect(retry.headers['retry-after']).toBe('1')
      openGate()
      expect((await first).statusCode).toBe(201)
      expect((await call()).headers['idempotent-replayed']).toBe('true')
    },
  )

  it('drops the cached catalog only once the edit has committed', async () => {
    const path = `/api/sessions/${session}/`
    const title = async () => (await ctx.app.inject({ url: path })).json().data.title
    await title()
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: path,
      headers: { ...owner.auth, 'idempotency-key': randomUUID() },
      payload: { title: 'Edited with a key' },
    })
    expect(edited.statusCode).toBe(200)
    expect(await title()).toBe('Edited with a key')
  })

  it('refuses a malformed key, naming the header', async () => {
    for (const key of ['', 'with space', 'é', 'x'.repeat(256)]) {
      const answer = await book(customer, key, date())
      expect(answer.statusCode, JSON.stringify(key)).toBe(400)
      expect(answer.json().errors).toHaveProperty('Idempotency-Key')
    }
  })

  it('leaves requests without the header, and safe methods, as they were', async () => {
    const at = new Date(Date.now() + 13 * 86_400_000).toISOString()
    expect((await book(customer, undefined, at)).statusCode).toBe(201)
    const list = await ctx.app.inject({
      url: '/api/bookings/my_bookings/',
      headers: { ...customer.auth, 'idempotency-key': 'not checked on GET' },
    })
    expect(list.statusCode).toBe(200)
    expect(list.headers['idempotent-replayed']).toBeUndefined()
  })

  it('forgets kept answers after 24 hours (the schedule sweeps them)', async () => {
    const key = randomUUID()
    const at = new Date(Date.now() + 15 * 86_400_000).toISOString()
    await book(customer, key, at)
    const kept = () => db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))
    expect(await kept()).toHaveLength(1)
    expect(await sweepExpiredIdempotencyKeys(db(), new Date(Date.now() + 23 * 3_600_000))).toBe(0)
    expect(await sweepExpiredIdempotencyKeys(db(), new Date(Date.now() + 25 * 3_600_000))).toBeGreaterThan(0)
    expect(await kept()).toHaveLength(0)
  })
})
