// The fuzzer's world, made through the API as a client would: two businesses with staff, sessions,
// a booking, a reservation and an open invitation, and the four callers the fuzzer sends requests as.
import type { App } from '../../src/app.js'
import { login, makeAdmin, makeUser, type TestUser } from '../helpers/accounts.js'
import { inviteAs, makeBusiness } from '../helpers/tenants.js'
import type { IdPools } from './values.js'

export const CALLER_NAMES = ['anonymous', 'customer', 'owner', 'platform_admin'] as const
export type CallerName = (typeof CALLER_NAMES)[number]

export type World = {
  callers: Record<CallerName, TestUser | null>
  /** Business A, the owner's; B belongs to someone else. */
  businessA: string
  businessB: string
  pools: IdPools
}

async function created(app: App, as: TestUser, url: string, payload: object, headers: object = {}) {
  const response = await app.inject({ method: 'POST', url, payload, headers: { ...as.auth, ...headers } })
  if (response.statusCode !== 201)
    throw new Error(`fuzz world: ${url} ${response.statusCode} ${response.body}`)
  return response.json().data.id as string
}

const session = { title: 'Fuzzed class', duration: 60, price: '12.50', max_participants: 3 }
const FUTURE = Date.UTC(2098, 0, 5, 9)

// A platform admin outside the fuzzed callers and id pools: a fuzzed request may close registration
// (PATCH /api/settings/), and a new world needs it open.
const keepers = new WeakMap<App, TestUser>()

async function reopenRegistration(app: App) {
  const known = keepers.get(app)
  // Logged in afresh each time: a long run outlives an access token.
  const keeper = known ? await login(app, known) : await makeAdmin(app)
  keepers.set(app, keeper)
  const response = await app.inject({
    method: 'PATCH',
    url: '/api/settings/',
    headers: keeper.auth,
    payload: { allow_registration: true },
  })
  if (response.statusCode !== 200)
    throw new Error(`fuzz world: settings ${response.statusCode} ${response.body}`)
}

export async function makeWorld(app: App): Promise<World> {
  await reopenRegistration(app)
  const [A, B, customer, admin] = await Promise.all([
    makeBusiness(app),
    makeBusiness(app),
    makeUser(app),
    makeAdmin(app),
  ])
  const inA = { 'x-business-id': A.id }
  const sessionA = await created(app, A.owner, '/api/sessions/', session, inA)
  const inactiveA = await created(app, A.owner, '/api/sessions/', { ...session, status: 'inactive' }, inA)
  const sessionB = await created(app, B.owner, '/api/sessions/', session, { 'x-business-id': B.id })
  const booking = await created(app, customer, '/api/bookings/', {
    session: sessionA,
    booking_date: new Date(FUTURE).toISOString(),
  })
  const bookingB = await created(app, A.agent, '/api/bookings/', {
    session: sessionB,
    booking_date: new Date(FUTURE).toISOString(),
  })
  const reservation = await created(app, customer, '/api/reservations/', {
    business: A.id,
    start_time: new Date(FUTURE + 3_600_000).toISOString(),
    end_time: new Date(FUTURE + 7_200_000).toISOString(),
  })
  const invitation = await inviteAs(app, A.owner, A.id, 'fuzz-invitee@example.com', 'agent')
  const users = [customer, A.owner, A.agent, A.manager, B.owner, admin].map((user) => user.id)
  return {
    callers: { anonymous: null, customer, owner: A.owner, platform_admin: admin },
    businessA: A.id,
    businessB: B.id,
    pools: {
      users,
      businesses: [A.id, B.id],
      directory: [A.id, B.id],
      sessions: [sessionA, inactiveA, sessionB],
      bookings: [booking, bookingB],
      reservations: [reservation],
      invitations: [invitation.id],
      jobs: ['email-00000000-0000-4000-8000-000000000000', 'no-such-job'],
      email: [customer.email, A.owner.email, 'nobody@example.com'],
      any: [customer.id, A.id, sessionA, booking, reservation],
    },
  }
}

/** Whether the fuzz requests left the callers able to act (a deactivated or deleted one is not). */
export async function worldIntact(app: App, world: World): Promise<boolean> {
  for (const caller of Object.values(world.callers)) {
    if (!caller) continue
    const response = await app.inject({ url: '/api/auth/profile/', headers: caller.auth })
    if (response.statusCode !== 200) return false
  }
  const owner = world.callers.owner
  if (!owner) return false
  const business = await app.inject({ url: `/api/businesses/${world.businessA}/`, headers: owner.auth })
  return business.statusCode === 200
}
