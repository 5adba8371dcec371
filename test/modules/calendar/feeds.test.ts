// Calendar feeds (API.md, "Calendar feeds (iCalendar)"): the caller's and a business's feed URL,
// the RFC 5545 body read back by an independent parser (ical.js), ETag/304, rotation, who may have a
// business's feed, and how long cancelled and past events stay.

import type { InjectOptions } from 'fastify'
import ICAL from 'ical.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const clock = new ManualClock(new Date('2027-01-01T08:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const call = (options: InjectOptions) => ctx.app.inject(options)

let biz: TenantBusiness
let other: TenantBusiness
let customer: TestUser
let outsider: TestUser
let sessionId: string

beforeAll(async () => {
  ;[biz, other, customer, outsider] = await Promise.all([
    makeBusiness(ctx.app),
    makeBusiness(ctx.app),
    makeUser(ctx.app),
    makeUser(ctx.app),
  ])
  const created = await call({
    method: 'POST',
    url: '/api/sessions/',
    headers: { ...biz.owner.auth, 'x-business-id': biz.id },
    payload: { title: 'Pilates', duration: 45, price: '20.00', max_participants: 5 },
  })
  expect(created.statusCode, created.body).toBe(201)
  sessionId = created.json().data.id
})

async function expectOk(options: InjectOptions, status = 201) {
  const response = await call(options)
  expect(response.statusCode, response.body).toBe(status)
  return response.json().data
}

const bookAt = (user: TestUser, booking_date: string) =>
  expectOk({
    method: 'POST',
    url: '/api/bookings/',
    headers: user.auth,
    payload: { session: sessionId, booking_date },
  })

const reserveAt = (user: TestUser, businessId: string, start_time: string, end_time: string) =>
  expectOk({
    method: 'POST',
    url: '/api/reservations/',
    headers: user.auth,
    payload: { business: businessId, start_time, end_time },
  })

async function feedUrl(user: TestUser, query = '', method: 'GET' | 'POST' = 'GET'): Promise<string> {
  const path = method === 'GET' ? '/api/calendar/feed/' : '/api/calendar/feed/rotate/'
  const data = await expectOk({ method, url: `${path}${query}`, headers: user.auth }, 200)
  return data.url
}

const fetchFeed = (url: string, headers: Record<string, string> = {}) =>
  call({ url: new URL(url).pathname, headers })

type Event = { uid: string; start: string; end: string; status: string; summary: string }

function eventsOf(body: string): Event[] {
  const calendar = new ICAL.Component(ICAL.parse(body))
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component)
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      status: String(component.getFirstPropertyValue('status')),
      summary: event.summary,
    }
  })
}

describe('calendar feeds', () => {
  it('gives a signed-in caller one stable feed URL, and nobody else one', async () => {
    const url = await feedUrl(customer)
    expect(url).toMatch(/^http:\/\/[^/]+\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/)
    expect(await feedUrl(customer)).toBe(url)
    expect(await feedUrl(outsider)).not.toBe(url)
    expect((await call({ url: '/api/calendar/feed/' })).statusCode).toBe(401)
  })

  it("lists the caller's bookings and reservations in UTC, with stable UIDs, parsed by ical.js", async () => {
    const booking = await bookAt(customer, '2027-01-10T09:30:00Z')
    const reservation = await reserveAt(customer, biz.id, '2027-01-11T14:00:00Z', '2027-01-11T15:00:00Z')
    const response = await fetchFeed(await feedUrl(customer))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8')
    expect(response.body).toContain('DTSTART:20270110T093000Z')
    expect(eventsOf(response.body)).toEqual(
      expect.arrayContaining([
        {
          uid: `booking-${booking.id}@tessera`,
          start: '2027-01-10T09:30:00.000Z',
          end: '2027-01-10T10:15:00.000Z',
          status: 'TENTATIVE',
          summary: expect.stringContaining('Pilates'),
        },
        {
          uid: `reservation-${reservation.id}@tessera`,
          start: '2027-01-11T14:00:00.000Z',
          end: '2027-01-11T15:00:00.000Z',
          status: 'TENTATIVE',
          summary: expect.stringContaining('Reservation'),
        },
      ]),
    )
  })

  it('answers 304 to a matching If-None-Match, and a new ETag once something changed', async () => {
    const url = await feedUrl(customer)
    const first = await fetchFeed(url)
    const etag = String(first.headers.etag)
    expect(etag).toMatch(/^".+"$/)
    const again = await fetchFeed(url, { 'if-none-match': etag })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    await bookAt(customer, '2027-01-12T09:30:00Z')
    const changed = await fetchFeed(url, { 'if-none-match': etag })
    expect(changed.statusCode).toBe(200)
    expect(changed.headers.etag).not.toBe(etag)
  })

  it('shows a cancelled booking as CANCELLED for 30 days, and past events for 30 days', async () => {
    const user = await makeUser(ctx.app)
    const booking = await bookAt(user, '2027-01-20T09:30:00Z')
    await expectOk({ method: 'POST', url: `/api/bookings/${booking.id}/cancel/`, headers: user.auth }, 200)
    const url = await feedUrl(user)
    const uid = `booking-${booking.id}@tessera`
    expect(eventsOf((await fetchFeed(url)).body).find((event) => event.uid === uid)?.status).toBe('CANCELLED')
    const kept = await bookAt(user, '2027-01-21T09:30:00Z')
    clock.advance(31 * 86_400_000)
    const later = eventsOf((await fetchFeed(url)).body).map((event) => event.uid)
    expect(later).not.toContain(uid)
    expect(later).toContain(`booking-${kept.id}@tessera`)
    clock.advance(31 * 86_400_000)
    expect(eventsOf((await fetchFeed(url)).body)).toEqual([])
    clock.set(new Date('2027-01-01T08:00:00Z'))
  })

  it('rotates: the old URL answers 404 and the new one the same feed', async () => {
    const user = await makeUser(ctx.app)
    const old = await feedUrl(user)
    const rotated = await feedUrl(user, '', 'POST')
    expect(rotated).not.toBe(old)
    expect((await fetchFeed(old)).statusCode).toBe(404)
    expect((await fetchFeed(rotated)).statusCode).toBe(200)
    expect(await feedUrl(user)).toBe(rotated)
  })

  it("gives a business's staff its feed, with its rows only; others get 404", async () => {
    const booking = await bookAt(customer, '2027-01-15T09:30:00Z')
    const elsewhere = await reserveAt(customer, other.id, '2027-01-15T14:00:00Z', '2027-01-15T15:00:00Z')
    const url = await feedUrl(biz.agent, `?business=${biz.id}`)
    expect(await feedUrl(biz.owner, `?business=${biz.id}`)).toBe(url)
    const uids = eventsOf((await fetchFeed(url)).body).map((event) => event.uid)
    expect(uids).toContain(`booking-${booking.id}@tessera`)
    expect(uids).not.toContain(`reservation-${elsewhere.id}@tessera`)
    for (const user of [outsider, other.owner, customer]) {
      const response = await call({ url: `/api/calendar/feed/?business=${biz.id}`, headers: user.auth })
      expect(response.statusCode, response.body).toBe(404)
    }
    const bad = await call({ url: '/api/calendar/feed/?business=nope', headers: biz.owner.auth })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toHaveProperty('business')
  })

  it('answers 404 to an unknown or misshapen token, 400 to characters no token has', async () => {
    for (const path of [`${'A'.repeat(43)}.ics`, 'short.ics', `${'A'.repeat(43)}.txt`])
      expect((await call({ url: `/api/calendar/${path}` })).statusCode).toBe(404)
    const control = await call({ url: '/api/calendar/%00.ics' })
    expect(control.statusCode).toBe(400)
    expect(control.json().errors).toHaveProperty('file')
  })
})
