// Who sees a customer's email address on a reservation: the customer, platform admins, and staff of a
// business the customer belongs to or has themselves booked or reserved with. A reservation staff made
// FOR a customer does not count as the customer's own, so a stranger's address stays hidden from a
// business that merely typed in their (public) user id. Everyone else gets the customer without `email`.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs } from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock: new ManualClock(START) } })
const call = (options: InjectOptions) => ctx.app.inject(options)

type Customer = { id: string; username: string; email?: string }
type ReservationOut = { id: string; customer: Customer }

let periodCounter = 0
function nextPeriod() {
  periodCounter += 1
  const start = Date.UTC(2026, 5, 1) + periodCounter * 2 * 3_600_000
  return { start_time: new Date(start).toISOString(), end_time: new Date(start + 3_600_000).toISOString() }
}

async function reserve(who: TestUser, payload: Record<string, unknown>): Promise<ReservationOut> {
  const response = await call({
    method: 'POST',
    url: '/api/reservations/',
    headers: who.auth,
    payload: { ...nextPeriod(), ...payload },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

async function detail(who: TestUser, id: string): Promise<ReservationOut> {
  const response = await call({ url: `/api/reservations/${id}/`, headers: who.auth })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

async function listed(who: TestUser, businessId: string, id: string): Promise<ReservationOut | undefined> {
  const response = await call({
    url: '/api/reservations/?page_size=100',
    headers: { ...who.auth, 'x-business-id': businessId },
  })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json().data as ReservationOut[]).find((row) => row.id === id)
}

async function exportedEmail(who: TestUser, businessId: string, id: string) {
  const response = await call({
    url: '/api/reservations/export/?format=json',
    headers: { ...who.auth, 'x-business-id': businessId },
  })
  expect(response.statusCode, response.body).toBe(200)
  const rows = response.json() as { id: string; customer_email: string | null }[]
  return rows.find((row) => row.id === id)?.customer_email
}

/** A newly registered creator: a business of their own, owned at registration (no verification). */
async function makeCreator(): Promise<{ creator: TestUser; businessId: string }> {
  const creator = await makeUser(ctx.app, { role: 'creator', verified: false })
  const list = await call({ url: '/api/businesses/', headers: creator.auth })
  return { creator, businessId: list.json().data[0].id }
}

let platformAdmin: TestUser
beforeAll(async () => {
  platformAdmin = await makeAdmin(ctx.app)
})

describe('a reservation staff made for a stranger', () => {
  it('shows no email to the staff, in the 201, the detail, the list or the export', async () => {
    const { creator, businessId } = await makeCreator()
    const victim = await makeUser(ctx.app)
    const created = await reserve(creator, { business: businessId, customer: victim.id })
    expect(created.customer).toEqual({ id: victim.id, username: victim.username })
    expect(JSON.stringify(created)).not.toContain(victim.email)
    expect((await detail(creator, created.id)).customer).toEqual({ id: victim.id, username: victim.username })
    expect((await listed(creator, businessId, created.id))?.customer).toEqual({
      id: victim.id,
      username: victim.username,
    })
    expect(await exportedEmail(creator, businessId, created.id)).toBeNull()
  })

  it('shows the email to the customer themself and to platform admins', async () => {
    const { creator, businessId } = await makeCreator()
    const victim = await makeUser(ctx.app)
    const created = await reserve(creator, { business: businessId, customer: victim.id })
    expect((await detail(victim, created.id)).customer.email).toBe(victim.email)
    expect((await detail(platformAdmin, created.id)).customer.email).toBe(victim.email)
    expect(await exportedEmail(platformAdmin, businessId, created.id)).toBe(victim.email)
  })
})

describe('a customer of the business', () => {
  it('once they reserve themselves, staff see their email, also on what staff made for them', async () => {
    const { creator, businessId } = await makeCreator()
    const customer = await makeUser(ctx.app)
    const forThem = await reserve(creator, { business: businessId, customer: customer.id })
    const own = await reserve(customer, { business: businessId })
    expect(own.customer.email).toBe(customer.email)
    expect((await detail(creator, own.id)).customer.email).toBe(customer.email)
    expect((await detail(creator, forThem.id)).customer.email).toBe(customer.email)
    expect(await exportedEmail(creator, businessId, forThem.id)).toBe(customer.email)
    // Staff creating for them from now on see it in the 201 too.
    expect((await reserve(creator, { business: businessId, customer: customer.id })).customer.email).toBe(
      customer.email,
    )
  })

  it('once they booked a session of the business, staff see their email', async () => {
    const { creator, businessId } = await makeCreator()
    const customer = await makeUser(ctx.app)
    const session = await call({
      method: 'POST',
      url: '/api/sessions/',
      headers: creator.auth,
      payload: { title: 'Flow', duration: 60, price: '20.00', max_participants: 5 },
    })
    expect(session.statusCode, session.body).toBe(201)
    const booking = await call({
      method: 'POST',
      url: '/api/bookings/',
      headers: customer.auth,
      payload: { session: session.json().data.id, booking_date: '2026-06-20T10:00:00Z' },
    })
    expect(booking.statusCode, booking.body).toBe(201)
    const created = await reserve(creator, { business: businessId, customer: customer.id })
    expect(created.customer.email).toBe(customer.email)
  })

  it('a member of the business: staff see their email', async () => {
    const { creator, businessId } = await makeCreator()
    const colleague = await makeUser(ctx.app)
    await addMemberAs(ctx.app, creator, businessId, colleague, 'agent')
    const created = await reserve(creator, { business: businessId, customer: colleague.id })
    expect(created.customer.email).toBe(colleague.email)
  })

  it('reserving with another business shows nothing to this one', async () => {
    const { creator, businessId } = await makeCreator()
    const elsewhere = await makeCreator()
    const customer = await makeUser(ctx.app)
    await reserve(customer, { business: elsewhere.businessId })
    const created = await reserve(creator, { business: businessId, customer: customer.id })
    expect(created.customer.email).toBeUndefined()
  })
})
