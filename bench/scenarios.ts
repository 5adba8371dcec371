// What `npm run bench` measures. A scenario is one request shape fired at 64 connections: either a fixed
// request, or `request(i)` for requests that must vary (i counts up across the warm-up and the run).
import type autocannon from 'autocannon'
import { benchId, isActiveBenchSession, isScheduledBenchSession } from '../src/modules/seed/bench.js'
import { DASHBOARD_BUSINESS } from '../src/modules/seed/bench-dashboard.js'

export type BenchRequest = {
  method?: NonNullable<autocannon.Request['method']>
  path: string
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
}

/**
 * `uncached` scenarios run against a second server started with CATALOG_CACHE_TTL=0s: the bench repeats
 * one URL per list scenario, which the public cache would otherwise answer after the first request,
 * so only the uncached rows measure the queries themselves.
 */
export type Scenario = {
  name: string
  uncached?: boolean
  /** Concurrent connections when the scenario measures latency rather than throughput. */
  connections?: number
} & (BenchRequest | { request: (i: number) => BenchRequest })

/** What scenarios may use, prepared by bench/run.ts against the seeded database. */
export type BenchContext = {
  /** A fresh user's access token (no bookings). */
  access: string
  /** A seeded customer's access token (about a hundred bookings). */
  customerAccess: string
  /** Bench user 1's access token: the owner of business 1 and of the dashboard business. */
  ownerAccess: string
  /** Seeded businesses: ids benchId('business', 1..businesses). */
  businesses: number
  /** Seeded sessions: ids are uuidFor(1..sessions). */
  sessions: number
  /** A cursor about 40,000 rows into the default ordering. */
  deepCursor: string
  /**
   * Where this run's booking slots start among BOOKING_SLOTS: the bench database outlives a run, and
   * runs that booked the same slots would fill them (409 session_full).
   */
  slotOffset: number
  /** The calendar feed of a business with FEED_EVENTS bookings (bench/calendar.ts). */
  feedPath: string
}

/** Distinct future instants the booking scenario books, 7 minutes apart from 2031 on. */
export const BOOKING_SLOTS = 5_000_000

export const scenarioNames = [
  'health',
  'health-authenticated',
  'ready',
  'detail',
  'list-page-1',
  'list-search',
  'deep-page-cursor',
  'deep-page-2000',
  'detail-uncached',
  'list-page-1-uncached',
  'list-search-uncached',
  'deep-page-cursor-uncached',
  'deep-page-2000-uncached',
  'my-bookings',
  'create-booking',
  'create-booking-idempotent',
  'create-reservation',
  'dashboard',
  'dashboard-year',
  'slots',
  'calendar-feed',
  'mixed',
] as const

/** A future slot per request number, on sessions spread over the whole catalog. */
function bookingRequest(context: BenchContext, i: number): BenchRequest {
  const minute = 60_000
  const when = new Date(Date.UTC(2031, 0, 1) + ((context.slotOffset + i) % BOOKING_SLOTS) * 7 * minute)
  return {
    method: 'POST',
    path: '/api/bookings/',
    headers: { authorization: `Bearer ${context.access}`, 'content-type': 'application/json' },
    body: { session: unscheduledSession(context, i * 7919), booking_date: when.toISOString() },
  }
}

/**
 * The same booking with an Idempotency-Key of its own: what the key's transaction and kept answer cost.
 * A quarter of the slot range away from create-booking, so both book free slots.
 */
function idempotentBookingRequest(context: BenchContext, i: number): BenchRequest {
  const request = bookingRequest(context, i + BOOKING_SLOTS / 4)
  return {
    ...request,
    headers: { ...request.headers, 'idempotency-key': `bench-${context.slotOffset}-${i}` },
  }
}

/**
 * A free 30-minute slot per request number on the calendars of the seeded businesses: business
 * 1 + i % businesses, 35-minute steps from 2031 on, this run's own range (see slotOffset).
 */
function reservationRequest(context: BenchContext, i: number): BenchRequest {
  const minute = 60_000
  const start = Date.UTC(2031, 0, 1) + ((context.slotOffset + i) % BOOKING_SLOTS) * 35 * minute
  return {
    method: 'POST',
    path: '/api/reservations/',
    headers: { authorization: `Bearer ${context.access}`, 'content-type': 'application/json' },
    body: {
      business: benchId('business', 1 + (i % context.businesses)),
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 30 * minute).toISOString(),
    },
  }
}

/** An active seeded session for request number `i`, spread over the whole catalog. */
function activeSession(context: BenchContext, i: number): string {
  const n = 1 + (i % context.sessions)
  return uuidFor(isActiveBenchSession(n) ? n : (n % context.sessions) + 1)
}

/**
 * An active unscheduled session for request number `i`: the booking scenario books instants of its
 * own choosing, which a scheduled session (every even one) would refuse.
 */
function unscheduledSession(context: BenchContext, i: number): string {
  let n = 1 + (i % context.sessions)
  if (isScheduledBenchSession(n)) n = (n % context.sessions) + 1
  if (!isActiveBenchSession(n)) n = ((n + 1) % context.sessions) + 1
  return uuidFor(n)
}

/** Every 100th session is business 1's (session n belongs to business 1 + (n - 1) % 100). */
function ownerSession(context: BenchContext, i: number): string {
  const n = 1 + ((i * 100) % context.sessions)
  return uuidFor(isActiveBenchSession(n) ? n : n + 100)
}

/** Request i's share of the mix, spread evenly but not in step with i (Knuth's multiplicative hash). */
const mixSlot = (i: number) => Number((BigInt(i) * 2654435761n) % 4294967296n) % 100

/**
 * A marketplace's day: 80% catalog reads (list, search, detail, slots), 15% a customer's own bookings,
 * 5% writes (4% bookings, 1% session edits, each of which drops the cached catalog).
 */
function mixedRequest(context: BenchContext, i: number): BenchRequest {
  const slot = mixSlot(i)
  if (slot < 30) return { path: `/api/sessions/${activeSession(context, i)}/` }
  if (slot < 50) return { path: '/api/sessions/' }
  if (slot < 65) return { path: '/api/sessions/?search=Pilates' }
  if (slot < 80) return { path: `/api/sessions/${scheduledSession(context, i)}/slots/` }
  if (slot < 95) {
    return {
      path: '/api/bookings/my_bookings/',
      headers: { authorization: `Bearer ${context.customerAccess}` },
    }
  }
  // Half the slot range away from the create-booking scenario, whose requests count from 0 too.
  if (slot < 99) return bookingRequest(context, i + BOOKING_SLOTS / 2)
  return {
    method: 'PATCH',
    path: `/api/sessions/${ownerSession(context, i)}/`,
    headers: { authorization: `Bearer ${context.ownerAccess}` },
    body: { description: `Edited by the bench, request ${i}.` },
  }
}

/** An active scheduled (even) session for request number `i`. */
function scheduledSession(context: BenchContext, i: number): string {
  let n = 2 * (1 + (i % Math.floor(context.sessions / 2)))
  if (!isActiveBenchSession(n)) n = n + 2 > context.sessions ? 2 : n + 2
  return uuidFor(n)
}

export function scenarios(context: BenchContext): Scenario[] {
  const session = (i: number) => activeSession(context, i)
  return [
    { name: 'health', path: '/health/' },
    // The same trivial route with a bearer token: the difference is the cost of verifying an access
    // token, which never touches the database.
    {
      name: 'health-authenticated',
      path: '/health/',
      headers: { authorization: `Bearer ${context.access}` },
    },
    // One database round trip per request: the fair comparison with the yardstick.
    { name: 'ready', path: '/health/ready/' },
    { name: 'detail', request: (i) => ({ path: `/api/sessions/${session(i)}/` }) },
    { name: 'list-page-1', path: '/api/sessions/' },
    { name: 'list-search', path: '/api/sessions/?search=Pilates' },
    { name: 'deep-page-cursor', path: `/api/sessions/?cursor=${context.deepCursor}` },
    { name: 'deep-page-2000', path: '/api/sessions/?page=2000' },
    { name: 'detail-uncached', uncached: true, request: (i) => ({ path: `/api/sessions/${session(i)}/` }) },
    { name: 'list-page-1-uncached', uncached: true, path: '/api/sessions/' },
    { name: 'list-search-uncached', uncached: true, path: '/api/sessions/?search=Pilates' },
    {
      name: 'deep-page-cursor-uncached',
      uncached: true,
      path: `/api/sessions/?cursor=${context.deepCursor}`,
    },
    { name: 'deep-page-2000-uncached', uncached: true, path: '/api/sessions/?page=2000' },
    {
      name: 'my-bookings',
      path: '/api/bookings/my_bookings/',
      headers: { authorization: `Bearer ${context.customerAccess}` },
    },
    // The dashboard business (100,000 bookings and 100,000 reservations over a year) as its owner: the
    // default period (a week) and a year, which aggregates all of them. Their goal is a latency (p99),
    // so a few connections rather than 64 that would only measure queueing.
    ...(['week', 'year'] as const).map(
      (period): Scenario => ({
        name: period === 'week' ? 'dashboard' : 'dashboard-year',
        connections: 4,
        path: `/api/dashboard/stats/?period=${period}`,
        headers: { authorization: `Bearer ${context.ownerAccess}`, 'x-business-id': DASHBOARD_BUSINESS },
      }),
    ),
    // A scheduled session's default window (today and 13 days on): the schedule's expansion and one
    // range read of the seat counters. Session 2 is scheduled (daily) and active.
    { name: 'slots', path: `/api/sessions/${uuidFor(2)}/slots/` },
    // A business's iCalendar feed with 1,000 events, rendered each time (no If-None-Match).
    { name: 'calendar-feed', path: context.feedPath },
    // The writes come last: the emails they cause are sent in the background (by the server itself
    // when there is no Redis), which would weigh on any scenario measured after them.
    { name: 'create-booking', request: (i) => bookingRequest(context, i) },
    { name: 'create-booking-idempotent', request: (i) => idempotentBookingRequest(context, i) },
    { name: 'create-reservation', request: (i) => reservationRequest(context, i) },
    { name: 'mixed', request: (i) => mixedRequest(context, i) },
  ]
}

/** A distinct, valid UUID per request number. */
export function uuidFor(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
}

// Served by bench/yardstick.ts, not by the app. Once the sessions table exists (issue 5), request the ids
// of sessions the bench seeded, so that each lookup finds its row.
export const yardstickScenario = (sessions: number): Scenario => ({
  name: 'yardstick',
  request: (i) => ({ path: `/session/${uuidFor(1 + (i % sessions))}` }),
})
