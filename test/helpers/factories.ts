// Factories for the catalog and bookings: sessions and bookings, made through the HTTP API as a client
// would, and the business a creator's registration made. Users come from accounts.ts (makeUser), a
// business with a member of every role from tenants.ts (makeBusiness).
import type { App } from '../../src/app.js'
import type { Schedule } from '../../src/modules/catalog/schedule.js'
import type { SessionStatus } from '../../src/modules/catalog/tables.js'
import type { Status } from '../../src/modules/lifecycle/status.js'
import type { TestUser } from './accounts.js'

export type BusinessRef = { id: string; name: string; slug: string }

/** A session as the API answers it. */
export type SessionOut = {
  id: string
  business: BusinessRef
  creator: { id: string; username: string; first_name: string; last_name: string; avatar: string }
  title: string
  description: string
  duration: number
  price: string
  max_participants: number
  image_url: string
  status: SessionStatus
  schedule: Schedule | null
  /** The next future scheduled slot's start; null without one. */
  next_slot: string | null
  created_at: string
  updated_at: string
}

/** A booking as the API answers it. */
export type BookingOut = {
  id: string
  session: { id: string; title: string; duration: number; price: string }
  user: { id: string; username: string }
  booking_date: string
  status: Status
  amount: string
  created_at: string
  updated_at: string
}

/** The body of POST /api/sessions/; a test names the fields it cares about. */
export type SessionFields = {
  title: string
  duration: number
  price: string | number
  max_participants: number
  description?: string
  image_url?: string
  status?: SessionStatus
  schedule?: Schedule | null
}

const SESSION_DEFAULTS: SessionFields = {
  title: 'Session',
  duration: 60,
  price: '25.00',
  max_participants: 10,
}

function expectStatus(response: { statusCode: number; body: string }, status: number, what: string) {
  if (response.statusCode !== status)
    throw new Error(`${what} failed: ${response.statusCode} ${response.body}`)
}

/** The only business `user` belongs to (a creator's own, made at registration). */
export async function businessOf(app: App, user: TestUser): Promise<BusinessRef> {
  const response = await app.inject({ url: '/api/businesses/', headers: user.auth })
  expectStatus(response, 200, 'business list')
  const [business] = response.json().data
  if (!business) throw new Error(`${user.username} belongs to no business`)
  return { id: business.id, name: business.name, slug: business.slug }
}

/**
 * POST /api/sessions/ as `as`, in `options.business` when given (X-Business-ID), else in their only
 * business: the session created.
 */
export async function makeSession(
  app: App,
  as: TestUser,
  fields: Partial<SessionFields> = {},
  options: { business?: string } = {},
): Promise<SessionOut> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/sessions/',
    headers: { ...as.auth, ...(options.business && { 'x-business-id': options.business }) },
    payload: { ...SESSION_DEFAULTS, ...fields },
  })
  expectStatus(response, 201, 'session create')
  return response.json().data
}

/** POST /api/bookings/ as `user`: the raw answer, for tests about refusals and races. */
export const requestBooking = (app: App, user: TestUser, session: string, bookingDate: string) =>
  app.inject({
    method: 'POST',
    url: '/api/bookings/',
    headers: user.auth,
    payload: { session, booking_date: bookingDate },
  })

/** A booking of `session` at `bookingDate` by `user`: the pending booking created. */
export async function book(
  app: App,
  user: TestUser,
  session: string,
  bookingDate: string,
): Promise<BookingOut> {
  const response = await requestBooking(app, user, session, bookingDate)
  expectStatus(response, 201, 'booking')
  return response.json().data
}
