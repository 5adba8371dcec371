// The public business directory (GET /api/directory/ and /api/directory/{id}/): active, live
// businesses by name with their active staff and no contact details, a name search, page numbers and
// cursors, and 400s naming the field for malformed input.
import { randomBytes } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { createBusinessAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const ctx = useTestApp()
const call = (options: InjectOptions) => ctx.app.inject(options)

/** A tag found in no other name, so a search for it lists only this file's businesses of one test. */
const newTag = () => `dir${randomBytes(4).toString('hex')}`

type Entry = {
  id: string
  name: string
  slug: string
  timezone: string
  currency: string
  opening_hours: Record<string, [string, string][]>
  staff: { id: string; username: string; first_name: string; last_name: string; avatar: string }[]
}

async function list(query: string) {
  const response = await call({ url: `/api/directory/${query}` })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { data: Entry[]; meta: { pagination: Record<string, unknown> } }
}

const rename = (business: TenantBusiness, name: string) =>
  call({
    method: 'PATCH',
    url: `/api/businesses/${business.id}/`,
    headers: business.owner.auth,
    payload: { name },
  })

let business: TenantBusiness
let admin: TestUser
let tag: string

beforeAll(async () => {
  ;[business, admin] = await Promise.all([makeBusiness(ctx.app), makeAdmin(ctx.app)])
  tag = newTag()
  expect((await rename(business, `Barber ${tag}`)).statusCode).toBe(200)
})

describe('GET /api/directory/', () => {
  it('shows an active business to anyone, with its staff and no contact details', async () => {
    const { data } = await list(`?search=${tag}`)
    expect(data).toHaveLength(1)
    const [entry] = data
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      ['currency', 'id', 'name', 'opening_hours', 'slug', 'staff', 'timezone'].sort(),
    )
    expect(entry?.id).toBe(business.id)
    expect(entry?.opening_hours.monday).toEqual([['09:00', '18:00']])
    // Owners first (the role order), then by username.
    expect(entry?.staff.map((member) => member.id)).toEqual(
      [business.owner, business.admin, business.manager, business.agent].map((user) => user.id),
    )
    for (const member of entry?.staff ?? [])
      expect(Object.keys(member).sort()).toEqual(['avatar', 'first_name', 'id', 'last_name', 'username'])
    expect(JSON.stringify(data)).not.toContain('@example.com')
    const detail = await call({ url: `/api/directory/${business.id}/` })
    expect(detail.statusCode, detail.body).toBe(200)
    expect(detail.json().data).toEqual(entry)
  })

  it('leaves out members who left or were deactivated', async () => {
    const other = await makeBusiness(ctx.app)
    const otherTag = newTag()
    await rename(other, `Studio ${otherTag}`)
    const left = await call({
      method: 'DELETE',
      url: `/api/businesses/${other.id}/members/${other.agent.id}/`,
      headers: other.agent.auth,
    })
    expect(left.statusCode, left.body).toBe(200)
    const gone = await call({ method: 'DELETE', url: `/api/users/${other.manager.id}/`, headers: admin.auth })
    expect(gone.statusCode, gone.body).toBe(200)
    const [entry] = (await list(`?search=${otherTag}`)).data
    expect(entry?.staff.map((member) => member.id)).toEqual([other.owner.id, other.admin.id])
  })

  it('hides inactive and deleted businesses, in the list and the detail (404)', async () => {
    const owner = await makeUser(ctx.app)
    const hiddenTag = newTag()
    const inactive = await createBusinessAs(ctx.app, owner, `Closed ${hiddenTag}`)
    const deleted = await createBusinessAs(ctx.app, owner, `Gone ${hiddenTag}`)
    const open = await createBusinessAs(ctx.app, owner, `Open ${hiddenTag}`)
    await call({
      method: 'PATCH',
      url: `/api/businesses/${inactive}/`,
      headers: owner.auth,
      payload: { is_active: false },
    })
    await call({ method: 'DELETE', url: `/api/businesses/${deleted}/`, headers: owner.auth })
    expect((await list(`?search=${hiddenTag}`)).data.map((entry) => entry.id)).toEqual([open])
    for (const id of [inactive, deleted, '00000000-0000-4000-8000-000000000000'])
      expect((await call({ url: `/api/directory/${id}/` })).statusCode).toBe(404)
  })

  it('searches names case-insensitively, % and _ taken literally, ordered by name', async () => {
    const owner = await makeUser(ctx.app)
    const searchTag = newTag()
    const names = [`Yoga ${searchTag}`, `Ayurveda ${searchTag}`, `Mild_50% ${searchTag}`]
    const ids = await Promise.all(names.map((name) => createBusinessAs(ctx.app, owner, name)))
    const found = await list(`?search=${searchTag.toUpperCase()}`)
    expect(found.data.map((entry) => entry.name)).toEqual([names[1], names[2], names[0]])
    expect(found.data.map((entry) => entry.id).sort()).toEqual([...ids].sort())
    expect((await list(`?search=${encodeURIComponent('_50%')}`)).data.map((entry) => entry.id)).toContain(
      ids[2],
    )
    expect((await list(`?search=${encodeURIComponent('Mi_d_50')}`)).data).toEqual([])
  })

  it('pages by number and by cursor', async () => {
    const owner = await makeUser(ctx.app)
    const pageTag = newTag()
    for (const letter of ['a', 'b', 'c', 'd', 'e'])
      await createBusinessAs(ctx.app, owner, `${letter} ${pageTag}`)
    const byNumber = await list(`?search=${pageTag}&page=2&page_size=2`)
    expect(byNumber.data.map((entry) => entry.name)).toEqual([`c ${pageTag}`, `d ${pageTag}`])
    expect(byNumber.meta.pagination).toMatchObject({ page: 2, total: 5, total_pages: 3 })
    const seen: string[] = []
    let url = `?search=${pageTag}&page_size=2`
    for (;;) {
      const page = await list(url)
      seen.push(...page.data.map((entry) => entry.name))
      const cursor = page.meta.pagination.next_cursor as string | null
      if (!cursor) break
      url = `?search=${pageTag}&page_size=2&cursor=${encodeURIComponent(cursor)}`
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((letter) => `${letter} ${pageTag}`))
  })

  it('answers malformed input with 400 naming the field', async () => {
    for (const [query, field] of [
      ['?page_size=0', 'page_size'],
      ['?page=x', 'page'],
      [`?search=${'x'.repeat(201)}`, 'search'],
      ['?cursor=forged.cursor', 'cursor'],
    ] as const) {
      const response = await call({ url: `/api/directory/${query}` })
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400)
      expect(Object.keys(response.json().errors ?? {}), query).toContain(field)
    }
    expect((await call({ url: '/api/directory/?page=1&cursor=abc' })).statusCode).toBe(400)
    const badId = await call({ url: '/api/directory/not-a-uuid/' })
    expect(badId.statusCode).toBe(400)
    expect(Object.keys(badId.json().errors)).toContain('id')
  })
})
