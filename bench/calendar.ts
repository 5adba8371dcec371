// The calendar-feed scenario's business: made through the API at the start of a run (the seeded data
// set has no business of that size), with one session and FEED_EVENTS bookings in distinct future
// slots, so its feed holds exactly that many events.
import { registerBenchUser } from './accounts.js'

export const FEED_EVENTS = 1000
const CONCURRENCY = 16

async function call(
  url: string,
  access: string,
  init: { method?: string; body?: unknown; business?: string } = {},
) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${access}`,
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
      ...(init.business && { 'x-business-id': init.business }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const json = (await response.json()) as { data?: Record<string, unknown> }
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(json)}`)
  return json.data ?? {}
}

/**
 * A new business of the seeded bench user whose token is `ownerAccess` (a verified address: only
 * those may add businesses) with FEED_EVENTS bookings by a fresh customer; the path of its feed.
 */
export async function feedWithEvents(baseUrl: string, ownerAccess: string): Promise<string> {
  const owner = { access: ownerAccess }
  const customer = await registerBenchUser(baseUrl)
  const business = String(
    (
      await call(`${baseUrl}/api/businesses/`, owner.access, {
        method: 'POST',
        body: { name: `Feed ${customer.username}` },
      })
    ).id,
  )
  const session = String(
    (
      await call(`${baseUrl}/api/sessions/`, owner.access, {
        method: 'POST',
        business,
        body: { title: 'Feed class', duration: 45, price: '10.00', max_participants: 1 },
      })
    ).id,
  )
  const firstSlot = Date.UTC(2032, 0, 5, 9)
  for (let start = 0; start < FEED_EVENTS; start += CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, FEED_EVENTS - start) }, (_, i) =>
        call(`${baseUrl}/api/bookings/`, customer.access, {
          method: 'POST',
          body: { session, booking_date: new Date(firstSlot + (start + i) * 3_600_000).toISOString() },
        }),
      ),
    )
  }
  const { url } = await call(`${baseUrl}/api/calendar/feed/?business=${business}`, owner.access)
  return new URL(String(url)).pathname
}
