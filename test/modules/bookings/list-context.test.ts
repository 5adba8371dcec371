// Whose bookings GET /api/bookings/ lists (API.md, "Settled details"): with a business context (the
// X-Business-ID header, or the caller's single membership) the business's; otherwise the caller's own,
// also for staff of several businesses who send no header. A header naming a business the caller is
// not a member of is 404.
import { beforeAll, describe, expect, it } from 'vitest'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs, createBusinessAs } from '../../helpers/tenants.js'

const ctx = useTestApp()

let owner: TestUser
let member: TestUser
let customer: TestUser
const business = { first: '', second: '', elsewhere: '' }
const booking = { customerInFirst: '', memberElsewhere: '' }

async function sessionIn(owner: TestUser, businessId: string): Promise<string> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/sessions/',
    headers: { ...owner.auth, 'x-business-id': businessId },
    payload: { title: 'Pottery', duration: 60, price: '20.00', max_participants: 5 },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

async function bookAs(user: TestUser, session: string): Promise<string> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/bookings/',
    headers: user.auth,
    payload: { session, booking_date: '2099-05-01T10:00:00Z' },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

const listAs = (user: TestUser, headers: Record<string, string> = {}, query = '') =>
  ctx.app.inject({ url: `/api/bookings/${query}`, headers: { ...user.auth, ...headers } })

async function idsOf(user: TestUser, headers: Record<string, string> = {}, query = '') {
  const response = await listAs(user, headers, query)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.map((row: { id: string }) => row.id)
}

beforeAll(async () => {
  const otherOwner = await makeUser(ctx.app)
  ;[owner, member, customer] = await Promise.all([makeUser(ctx.app), makeUser(ctx.app), makeUser(ctx.app)])
  business.first = await createBusinessAs(ctx.app, owner)
  business.second = await createBusinessAs(ctx.app, owner)
  business.elsewhere = await createBusinessAs(ctx.app, otherOwner)
  await addMemberAs(ctx.app, owner, business.first, member, 'agent')
  booking.customerInFirst = await bookAs(customer, await sessionIn(owner, business.first))
  booking.memberElsewhere = await bookAs(member, await sessionIn(otherOwner, business.elsewhere))
})

describe('GET /api/bookings/ business context', () => {
  it("gives a member of one business, without a header, that business's bookings", async () => {
    expect(await idsOf(member)).toEqual([booking.customerInFirst])
  })

  it('gives staff of several businesses without X-Business-ID their own bookings', async () => {
    const several = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, business.first, several, 'manager')
    await addMemberAs(ctx.app, owner, business.second, several, 'agent')
    const own = await bookAs(several, await sessionIn(owner, business.second))
    expect(await idsOf(several)).toEqual([own])
    expect(await idsOf(several, { 'x-business-id': business.first })).toEqual([booking.customerInFirst])
    expect(await idsOf(several, { 'x-business-id': business.second })).toEqual([own])
  })

  it('answers 404 to X-Business-ID of a business the caller is not a member of', async () => {
    const response = await listAs(member, { 'x-business-id': business.elsewhere })
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('not_found')
  })

  it('gives a customer without a membership their own bookings', async () => {
    expect(await idsOf(customer)).toEqual([booking.customerInFirst])
  })
})

describe('GET /api/bookings/?user=', () => {
  it("gives a platform admin without X-Business-ID that user's bookings in every business", async () => {
    const admin = await makeAdmin(ctx.app)
    expect(await idsOf(admin, {}, `?user=${member.id}`)).toEqual([booking.memberElsewhere])
    expect(await idsOf(admin, {}, `?user=${customer.id}`)).toEqual([booking.customerInFirst])
    expect(await idsOf(admin)).toEqual([])
  })

  it("filters a business's list, and never widens anyone else's", async () => {
    expect(await idsOf(member, {}, `?user=${customer.id}`)).toEqual([booking.customerInFirst])
    expect(await idsOf(member, {}, `?user=${member.id}`)).toEqual([])
    expect(await idsOf(customer, {}, `?user=${member.id}`)).toEqual([])
  })

  it('answers 400 naming user for an id that is not a UUID', async () => {
    const response = await listAs(customer, {}, '?user=nobody')
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().errors)).toEqual(['user'])
  })
})
