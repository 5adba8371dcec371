// The role/endpoint matrix: what each caller gets from each endpoint of business A (and, for the
// isolation rows, of business B). Data only: test/role-matrix.test.ts runs every cell and checks that
// README.md carries this table. Later modules append their endpoints' rows to ROLE_MATRIX.
//
// The rules behind the cells (../shared/design/API.md): a caller who may not see an object gets 404,
// one who may see but not change it 403; business read = members, change = owner/admin, delete =
// owner; members read = owner/admin/manager, invite/change/remove = owner/admin, and only an owner
// invites, makes, unmakes or removes an owner; any member may leave (remove themself); only platform
// admins add a user at once (`direct`); invitations are listed and revoked by owners and admins and
// accepted by whoever signs in with the invited address (a member already: 409; another address's
// token: 400); audit log and webhooks = owner/admin; settings = platform admins; platform admins
// may act on any business; the last owner cannot be demoted, removed or leave (409); a reservation is its
// customer's (who may change its times and notes while pending, else 409, and cancel it) and its
// business's staff's, any role (who also reserve for others, assign staff, confirm and complete).
import { randomBytes, randomUUID } from 'node:crypto'
import type { MembershipRole } from '../src/platform/tenancy.js'
import { invitationToken, makeUser } from './helpers/accounts.js'
import { type Caller, type MatrixRow, userOf } from './helpers/role-matrix.js'
import {
  addMemberDirectly,
  cloneBusiness,
  freshMember,
  type InvitationOut,
  inviteAs,
  MEMBER_ROLES,
  makeUserFor,
  removeMemberAsAdmin,
  type TenantBusiness,
  type Tenants,
} from './helpers/tenants.js'

/**
 * The statuses in the README's column order. Those who lost their standing or do not have it yet
 * (a removed manager, a demoted admin, an invited user) get what `stranger` gets: a signed-in user
 * with no standing, the outsider unless the row's object is the outsider's own. A deactivated admin's
 * token is refused everywhere (401).
 */
function statuses(
  anonymous: number,
  outsider: number,
  agent: number,
  manager: number,
  admin: number,
  owner: number,
  platform_admin: number,
  stranger = outsider,
): Record<Caller, number> {
  return {
    anonymous,
    outsider,
    agent,
    manager,
    admin,
    owner,
    platform_admin,
    removed_manager: stranger,
    deactivated_admin: 401,
    demoted_admin: stranger,
    invited: stranger,
  }
}

const business = (id: string) => `/api/businesses/${id}/`
const members = (id: string) => `/api/businesses/${id}/members/`
const invitations = (id: string) => `/api/businesses/${id}/invitations/`

/** An address no account has. */
const newAddress = () => `matrix-${randomBytes(4).toString('hex')}@example.com`

/**
 * A fresh invitation to A by A's owner (to a new address unless told); revoked at `settle()` if it is
 * still open then.
 */
async function freshInvitation(
  t: Tenants,
  { role = 'agent', email = newAddress() }: { role?: MembershipRole; email?: string } = {},
): Promise<InvitationOut> {
  const invitation = await inviteAs(t.app, t.A.owner, t.A.id, email, role)
  t.defer(() =>
    t.app.inject({
      method: 'DELETE',
      url: `${invitations(t.A.id)}${invitation.id}/`,
      headers: t.platformAdmin.auth,
    }),
  )
  return invitation
}

/** The caller's own user id (the outsider's for the anonymous caller, who gets 401 anyway). */
const selfId = (t: Tenants, caller: Caller) => (userOf(t, caller) ?? t.outsider).id

/** After a member of A left, the platform admin adds them back with the same role. */
async function rejoinA(t: Tenants, caller: Caller, status: number) {
  const user = userOf(t, caller)
  if (status === 200 && user && isMemberRole(caller))
    await addMemberDirectly(t.app, t.platformAdmin, t.A.id, user, caller)
}

const isMemberRole = (caller: Caller): caller is MembershipRole =>
  (MEMBER_ROLES as readonly string[]).includes(caller)

const session = (id: string) => `/api/sessions/${id}/`
const sessionBody = { title: 'Matrix session', duration: 60, price: '25.00', max_participants: 10 }

/** Soft-deletes a session as the platform admin (a 404 for one already deleted is fine). */
const deleteSessionAsAdmin = (t: Tenants, id: string) =>
  t.app.inject({ method: 'DELETE', url: session(id), headers: t.platformAdmin.auth })

/** A new session of a business (A unless told), created by its owner; deleted at `settle()`. */
async function freshSession(
  t: Tenants,
  status: 'active' | 'inactive' = 'active',
  of: TenantBusiness = t.A,
): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/sessions/',
    headers: { ...of.owner.auth, 'x-business-id': of.id },
    payload: { ...sessionBody, status },
  })
  if (response.statusCode !== 201)
    throw new Error(`session create failed: ${response.statusCode} ${response.body}`)
  const id = response.json().data.id as string
  t.defer(() => deleteSessionAsAdmin(t, id))
  return id
}

/** A far-future slot; every booking row books a fresh session, so one instant serves them all. */
const BOOKING_DATE = '2099-01-01T10:00:00Z'

/** A new pending booking by the outsider (a customer of A) of a fresh session of A. */
async function freshBooking(t: Tenants): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/bookings/',
    headers: t.outsider.auth,
    payload: { session: await freshSession(t), booking_date: BOOKING_DATE },
  })
  if (response.statusCode !== 201)
    throw new Error(`booking create failed: ${response.statusCode} ${response.body}`)
  return response.json().data.id as string
}

const reservation = (id: string) => `/api/reservations/${id}/`

/** A distinct far-future hour per reservation, two hours apart, so no two ever overlap. */
let reservationCount = 0
function nextPeriod() {
  reservationCount += 1
  const start = Date.UTC(2099, 5, 1) + reservationCount * 2 * 3_600_000
  return { start_time: new Date(start).toISOString(), end_time: new Date(start + 3_600_000).toISOString() }
}

/**
 * A new pending reservation in a business's calendar (A unless told) by a customer (the outsider unless
 * told); confirmed by the business's owner when asked.
 */
async function freshReservation(
  t: Tenants,
  { of = t.A, customer = t.outsider, confirmed = false } = {},
): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/reservations/',
    headers: customer.auth,
    payload: { business: of.id, ...nextPeriod() },
  })
  if (response.statusCode !== 201)
    throw new Error(`reservation create failed: ${response.statusCode} ${response.body}`)
  const id = response.json().data.id as string
  if (confirmed) {
    const confirm = await t.app.inject({
      method: 'POST',
      url: `${reservation(id)}confirm/`,
      headers: of.owner.auth,
    })
    if (confirm.statusCode !== 200)
      throw new Error(`reservation confirm failed: ${confirm.statusCode} ${confirm.body}`)
  }
  return id
}

/** A reservation with B by B's agent (a customer B's staff and platform admins alone may know of). */
const reservationOfB = (t: Tenants) => freshReservation(t, { of: t.B, customer: t.B.agent })

const webhooks = (id: string) => `/api/businesses/${id}/webhooks/`
const webhookBody = { url: 'https://hooks.example.com/matrix', events: ['booking.created'] }

/** Deletes a webhook endpoint as the platform admin (a 404 for one already deleted is fine). */
const deleteWebhookAsAdmin = (t: Tenants, of: TenantBusiness, id: string) =>
  t.app.inject({ method: 'DELETE', url: `${webhooks(of.id)}${id}/`, headers: t.platformAdmin.auth })

/** A new webhook endpoint of a business (A unless told), made by its owner; deleted at `settle()`. */
async function freshWebhook(t: Tenants, of: TenantBusiness = t.A): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: webhooks(of.id),
    headers: of.owner.auth,
    payload: webhookBody,
  })
  if (response.statusCode !== 201)
    throw new Error(`webhook create failed: ${response.statusCode} ${response.body}`)
  const id = response.json().data.id as string
  t.defer(() => deleteWebhookAsAdmin(t, of, id))
  return `${webhooks(of.id)}${id}/`
}

export const ROLE_MATRIX: MatrixRow[] = [
  //                                                anon outs agent mngr admin owner p.adm
  // --- businesses ---
  {
    name: 'GET /api/businesses/',
    method: 'GET',
    path: () => '/api/businesses/',
    expect: statuses(401, 200, 200, 200, 200, 200, 200),
  },
  {
    name: 'POST /api/businesses/',
    note: '(the caller becomes its owner)',
    method: 'POST',
    path: () => '/api/businesses/',
    body: () => ({ name: 'Matrix business' }),
    // Delete it again, so the caller keeps a single membership.
    after: (t, _caller, response) =>
      response.statusCode === 201
        ? t.app.inject({
            method: 'DELETE',
            url: business(response.json().data.id),
            headers: t.platformAdmin.auth,
          })
        : Promise.resolve(),
    expect: statuses(401, 201, 201, 201, 201, 201, 201),
  },
  {
    name: 'GET /api/businesses/{A}/',
    method: 'GET',
    path: (t) => business(t.A.id),
    expect: statuses(401, 404, 200, 200, 200, 200, 200),
  },
  {
    name: 'PATCH /api/businesses/{A}/',
    method: 'PATCH',
    path: (t) => business(t.A.id),
    body: () => ({ name: 'Business A' }),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/',
    note: '(a fresh copy of A per caller)',
    method: 'DELETE',
    path: async (t) => business(await cloneBusiness(t, t.A)),
    expect: statuses(401, 404, 403, 403, 403, 200, 200),
  },
  // --- members ---
  {
    name: 'GET /api/businesses/{A}/members/',
    method: 'GET',
    path: (t) => members(t.A.id),
    expect: statuses(401, 404, 403, 200, 200, 200, 200),
  },
  {
    name: 'POST /api/businesses/{A}/members/',
    note: '(an invitation as agent, to a new address)',
    method: 'POST',
    path: (t) => members(t.A.id),
    body: () => ({ email: newAddress(), role: 'agent' }),
    expect: statuses(401, 404, 403, 403, 202, 202, 202),
  },
  {
    name: 'POST /api/businesses/{A}/members/',
    note: '(an invitation as owner, to a new address)',
    method: 'POST',
    path: (t) => members(t.A.id),
    body: () => ({ email: newAddress(), role: 'owner' }),
    expect: statuses(401, 404, 403, 403, 403, 202, 202),
  },
  {
    name: 'POST /api/businesses/{A}/members/',
    note: '(a new user added at once: `user_id` and `direct: true`)',
    method: 'POST',
    path: (t) => members(t.A.id),
    body: async (t) => ({ user_id: (await makeUserFor(t, t.A)).id, role: 'agent', direct: true }),
    expect: statuses(401, 404, 403, 403, 403, 403, 201),
  },
  {
    name: 'PATCH /api/businesses/{A}/members/{user_id}/',
    note: '(an agent → manager)',
    method: 'PATCH',
    path: async (t) => `${members(t.A.id)}${(await freshMember(t, t.A, 'agent')).id}/`,
    body: () => ({ role: 'manager' }),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'PATCH /api/businesses/{A}/members/{user_id}/',
    note: '(an agent → owner)',
    method: 'PATCH',
    path: async (t) => `${members(t.A.id)}${(await freshMember(t, t.A, 'agent')).id}/`,
    body: () => ({ role: 'owner' }),
    expect: statuses(401, 404, 403, 403, 403, 200, 200),
  },
  {
    name: 'PATCH /api/businesses/{A}/members/{user_id}/',
    note: '(one of two owners → admin)',
    method: 'PATCH',
    path: async (t) => `${members(t.A.id)}${(await freshMember(t, t.A, 'owner')).id}/`,
    body: () => ({ role: 'admin' }),
    expect: statuses(401, 404, 403, 403, 403, 200, 200),
  },
  {
    name: 'PATCH /api/businesses/{A}/members/{user_id}/',
    note: '(the last owner → admin; a fresh copy of A per caller)',
    method: 'PATCH',
    path: async (t) => `${members(await cloneBusiness(t, t.A))}${t.A.owner.id}/`,
    body: () => ({ role: 'admin' }),
    expect: statuses(401, 404, 403, 403, 403, 409, 409),
  },
  {
    name: 'DELETE /api/businesses/{A}/members/{user_id}/',
    note: '(an agent)',
    method: 'DELETE',
    path: async (t) => `${members(t.A.id)}${(await freshMember(t, t.A, 'agent')).id}/`,
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/members/{user_id}/',
    note: '(one of two owners)',
    method: 'DELETE',
    path: async (t) => `${members(t.A.id)}${(await freshMember(t, t.A, 'owner')).id}/`,
    expect: statuses(401, 404, 403, 403, 403, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/members/{user_id}/',
    note: '(the last owner; a fresh copy of A per caller)',
    method: 'DELETE',
    path: async (t) => `${members(await cloneBusiness(t, t.A))}${t.A.owner.id}/`,
    expect: statuses(401, 404, 403, 403, 403, 409, 409),
  },
  {
    name: 'DELETE /api/businesses/{A}/members/{user_id}/',
    note: "(the caller's own: leaving; A's only owner cannot)",
    method: 'DELETE',
    path: (t, caller) => `${members(t.A.id)}${selfId(t, caller)}/`,
    after: (t, caller, response) => rejoinA(t, caller, response.statusCode),
    expect: statuses(401, 404, 200, 200, 200, 409, 404),
  },
  {
    name: 'DELETE /api/businesses/{A}/members/{user_id}/',
    note: "(the caller's own: leaving a fresh copy of A with a second owner)",
    method: 'DELETE',
    path: async (t, caller) => {
      const id = await cloneBusiness(t, t.A)
      await addMemberDirectly(t.app, t.platformAdmin, id, await makeUser(t.app), 'owner')
      return `${members(id)}${selfId(t, caller)}/`
    },
    expect: statuses(401, 404, 200, 200, 200, 200, 404),
  },
  // --- invitations ---
  {
    name: 'GET /api/businesses/{A}/invitations/',
    method: 'GET',
    path: (t) => invitations(t.A.id),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/invitations/{invitation_id}/',
    note: "(a fresh invitation as agent by A's owner)",
    method: 'DELETE',
    path: async (t) => `${invitations(t.A.id)}${(await freshInvitation(t)).id}/`,
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/invitations/{invitation_id}/',
    note: "(a fresh invitation as owner by A's owner)",
    method: 'DELETE',
    path: async (t) => `${invitations(t.A.id)}${(await freshInvitation(t, { role: 'owner' })).id}/`,
    expect: statuses(401, 404, 403, 403, 403, 200, 200),
  },
  {
    name: 'POST /api/invitations/accept/',
    note: "(a fresh invitation to A for the caller's own address; A's members are members already: 409)",
    method: 'POST',
    path: () => '/api/invitations/accept/',
    body: async (t, caller) => {
      const email = userOf(t, caller)?.email ?? newAddress()
      return { token: await invitationToken(t.app, (await freshInvitation(t, { email })).id) }
    },
    after: (t, caller, response) =>
      response.statusCode === 201 ? removeMemberAsAdmin(t, t.A.id, selfId(t, caller)) : Promise.resolve(),
    expect: statuses(401, 201, 409, 409, 409, 409, 201),
  },
  {
    name: 'POST /api/invitations/accept/',
    note: '(a fresh invitation to A for another address)',
    method: 'POST',
    path: () => '/api/invitations/accept/',
    body: async (t) => ({ token: await invitationToken(t.app, (await freshInvitation(t)).id) }),
    expect: statuses(401, 400, 400, 400, 400, 400, 400),
  },
  // --- audit log ---
  {
    name: 'GET /api/audit-log/',
    note: '(`X-Business-ID: {A}`)',
    method: 'GET',
    path: () => '/api/audit-log/',
    headers: (t) => ({ 'x-business-id': t.A.id }),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'GET /api/audit-log/',
    note: '(no header: the single membership; platform admins see all)',
    method: 'GET',
    path: () => '/api/audit-log/',
    expect: statuses(401, 403, 403, 403, 200, 200, 200),
  },
  // --- webhooks: A's owners and admins manage them, its managers and agents get 403 ---
  {
    name: 'GET /api/businesses/{A}/webhooks/',
    method: 'GET',
    path: (t) => webhooks(t.A.id),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'POST /api/businesses/{A}/webhooks/',
    note: '(an https URL, one event)',
    method: 'POST',
    path: (t) => webhooks(t.A.id),
    body: () => webhookBody,
    after: (t, _caller, response) =>
      response.statusCode === 201 ? deleteWebhookAsAdmin(t, t.A, response.json().data.id) : Promise.resolve(),
    expect: statuses(401, 404, 403, 403, 201, 201, 201),
  },
  {
    name: 'GET /api/businesses/{A}/webhooks/{webhook_id}/',
    note: "(a fresh endpoint of A's owner)",
    method: 'GET',
    path: (t) => freshWebhook(t),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'PATCH /api/businesses/{A}/webhooks/{webhook_id}/',
    note: '(its description)',
    method: 'PATCH',
    path: (t) => freshWebhook(t),
    body: () => ({ description: 'Matrix endpoint' }),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'DELETE /api/businesses/{A}/webhooks/{webhook_id}/',
    method: 'DELETE',
    path: (t) => freshWebhook(t),
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'POST /api/businesses/{A}/webhooks/{webhook_id}/rotate_secret/',
    method: 'POST',
    path: async (t) => `${await freshWebhook(t)}rotate_secret/`,
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'GET /api/businesses/{A}/webhooks/{webhook_id}/deliveries/',
    method: 'GET',
    path: async (t) => `${await freshWebhook(t)}deliveries/`,
    expect: statuses(401, 404, 403, 403, 200, 200, 200),
  },
  {
    name: 'POST /api/businesses/{A}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver/',
    note: '(no such delivery: 404 for those who may manage the endpoint)',
    method: 'POST',
    path: async (t) => `${await freshWebhook(t)}deliveries/${randomUUID()}/redeliver/`,
    expect: statuses(401, 404, 403, 403, 404, 404, 404),
  },
  // --- platform settings ---
  {
    name: 'GET /api/settings/',
    method: 'GET',
    path: () => '/api/settings/',
    expect: statuses(401, 403, 403, 403, 403, 403, 200),
  },
  {
    name: 'PATCH /api/settings/',
    method: 'PATCH',
    path: () => '/api/settings/',
    body: () => ({ site_name: 'Tessera' }),
    expect: statuses(401, 403, 403, 403, 403, 403, 200),
  },
  // --- sessions: the catalog (public reads; creators and owner/admin/manager change) ---
  {
    name: 'GET /api/sessions/',
    method: 'GET',
    path: () => '/api/sessions/',
    expect: statuses(200, 200, 200, 200, 200, 200, 200),
  },
  {
    name: 'POST /api/sessions/',
    note: "(in the caller's single business; none for the outsider and the platform admin)",
    method: 'POST',
    path: () => '/api/sessions/',
    body: () => sessionBody,
    after: (t, _caller, response) =>
      response.statusCode === 201 ? deleteSessionAsAdmin(t, response.json().data.id) : Promise.resolve(),
    expect: statuses(401, 403, 403, 201, 201, 201, 403),
  },
  {
    name: 'GET /api/sessions/{id}/',
    note: '(an inactive session of A)',
    method: 'GET',
    path: async (t) => session(await freshSession(t, 'inactive')),
    expect: statuses(404, 404, 200, 200, 200, 200, 200),
  },
  {
    name: 'PATCH /api/sessions/{id}/',
    note: "(a fresh active session of A by A's owner, per caller)",
    method: 'PATCH',
    path: async (t) => session(await freshSession(t)),
    body: () => ({ title: 'Matrix session, renamed' }),
    expect: statuses(401, 403, 403, 200, 200, 200, 200),
  },
  {
    name: 'DELETE /api/sessions/{id}/',
    note: "(a fresh active session of A by A's owner, per caller)",
    method: 'DELETE',
    path: async (t) => session(await freshSession(t)),
    expect: statuses(401, 403, 403, 200, 200, 200, 200),
  },
  {
    name: 'PATCH /api/sessions/{id}/',
    note: '(the session of A that the removed manager created while a manager: no creator rights remain)',
    method: 'PATCH',
    path: (t) => session(t.removedManagerSession),
    body: () => ({ price: '11.00' }),
    expect: statuses(401, 403, 403, 200, 200, 200, 200),
  },
  // --- bookings: any logged-in user books; the session's creator and A's staff act ---
  {
    name: 'POST /api/bookings/',
    note: "(a fresh session of B by B's owner, so every caller is a customer)",
    method: 'POST',
    path: () => '/api/bookings/',
    body: async (t) => ({ session: await freshSession(t, 'active', t.B), booking_date: BOOKING_DATE }),
    expect: statuses(401, 201, 201, 201, 201, 201, 201),
  },
  {
    name: 'GET /api/bookings/my_bookings/',
    method: 'GET',
    path: () => '/api/bookings/my_bookings/',
    expect: statuses(401, 200, 200, 200, 200, 200, 200),
  },
  {
    name: 'GET /api/bookings/creator_bookings/',
    note: '(creators and staff of a business, not platform admins as such; the removed manager made a session of A but is neither now)',
    method: 'GET',
    path: () => '/api/bookings/creator_bookings/',
    expect: statuses(401, 403, 200, 200, 200, 200, 403),
  },
  {
    name: 'POST /api/bookings/{id}/confirm/',
    note: "(a fresh booking by the outsider of a session of A by A's owner)",
    method: 'POST',
    path: async (t) => `/api/bookings/${await freshBooking(t)}/confirm/`,
    expect: statuses(401, 403, 200, 200, 200, 200, 200, 404),
  },
  // --- reservations: any logged-in user reserves for themself; A's staff (any role) act ---
  {
    name: 'POST /api/reservations/',
    note: "(in B's calendar, so every caller is a customer)",
    method: 'POST',
    path: () => '/api/reservations/',
    body: (t) => ({ business: t.B.id, ...nextPeriod() }),
    expect: statuses(401, 201, 201, 201, 201, 201, 201),
  },
  {
    name: 'POST /api/reservations/',
    note: "(in A's calendar for another customer, B's owner)",
    method: 'POST',
    path: () => '/api/reservations/',
    body: (t) => ({ business: t.A.id, customer: t.B.owner.id, ...nextPeriod() }),
    expect: statuses(401, 403, 201, 201, 201, 201, 201),
  },
  {
    name: 'GET /api/reservations/',
    note: "(A's with a business context, else the caller's own)",
    method: 'GET',
    path: () => '/api/reservations/',
    expect: statuses(401, 200, 200, 200, 200, 200, 200),
  },
  {
    name: 'GET /api/reservations/{id}/',
    note: '(a fresh reservation with A by the outsider)',
    method: 'GET',
    path: async (t) => reservation(await freshReservation(t)),
    expect: statuses(401, 200, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'PATCH /api/reservations/{id}/',
    note: '(notes of a fresh pending reservation with A by the outsider)',
    method: 'PATCH',
    path: async (t) => reservation(await freshReservation(t)),
    body: () => ({ notes: 'Matrix note' }),
    expect: statuses(401, 200, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'PATCH /api/reservations/{id}/',
    note: "(staff → A's agent, of a fresh pending reservation with A by the outsider)",
    method: 'PATCH',
    path: async (t) => reservation(await freshReservation(t)),
    body: (t) => ({ staff: t.A.agent.id }),
    expect: statuses(401, 403, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'PATCH /api/reservations/{id}/',
    note: '(notes of a fresh confirmed reservation with A by the outsider)',
    method: 'PATCH',
    path: async (t) => reservation(await freshReservation(t, { confirmed: true })),
    body: () => ({ notes: 'Matrix note' }),
    expect: statuses(401, 409, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'DELETE /api/reservations/{id}/',
    note: '(cancels a fresh reservation with A by the outsider)',
    method: 'DELETE',
    path: async (t) => reservation(await freshReservation(t)),
    expect: statuses(401, 200, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'POST /api/reservations/{id}/confirm/',
    note: '(a fresh reservation with A by the outsider)',
    method: 'POST',
    path: async (t) => `${reservation(await freshReservation(t))}confirm/`,
    expect: statuses(401, 403, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'POST /api/reservations/{id}/complete/',
    note: '(a fresh confirmed reservation with A by the outsider)',
    method: 'POST',
    path: async (t) => `${reservation(await freshReservation(t, { confirmed: true }))}complete/`,
    expect: statuses(401, 403, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'POST /api/reservations/{id}/cancel/',
    note: '(a fresh reservation with A by the outsider)',
    method: 'POST',
    path: async (t) => `${reservation(await freshReservation(t))}cancel/`,
    expect: statuses(401, 200, 200, 200, 200, 200, 200, 404),
  },
  {
    name: 'GET /api/reservations/export/',
    note: '(no header: the single membership; platform admins export all)',
    method: 'GET',
    path: () => '/api/reservations/export/?format=json',
    expect: statuses(401, 403, 200, 200, 200, 200, 200),
  },
  // --- isolation: business B, of which none of the callers but the platform admin may know ---
  {
    name: 'GET /api/businesses/{B}/',
    method: 'GET',
    path: (t) => business(t.B.id),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'PATCH /api/businesses/{B}/',
    method: 'PATCH',
    path: (t) => business(t.B.id),
    body: () => ({ name: 'Business B' }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'DELETE /api/businesses/{B}/',
    note: '(a fresh copy of B per caller)',
    method: 'DELETE',
    path: async (t) => business(await cloneBusiness(t, t.B)),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/businesses/{B}/members/',
    method: 'GET',
    path: (t) => members(t.B.id),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'POST /api/businesses/{B}/members/',
    note: '(an invitation as agent, to a new address)',
    method: 'POST',
    path: (t) => members(t.B.id),
    body: () => ({ email: newAddress(), role: 'agent' }),
    expect: statuses(401, 404, 404, 404, 404, 404, 202),
  },
  {
    name: 'GET /api/businesses/{B}/invitations/',
    method: 'GET',
    path: (t) => invitations(t.B.id),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'PATCH /api/businesses/{B}/members/{user_id}/',
    note: '(an agent → manager)',
    method: 'PATCH',
    path: async (t) => `${members(t.B.id)}${(await freshMember(t, t.B, 'agent')).id}/`,
    body: () => ({ role: 'manager' }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'DELETE /api/businesses/{B}/members/{user_id}/',
    note: '(an agent)',
    method: 'DELETE',
    path: async (t) => `${members(t.B.id)}${(await freshMember(t, t.B, 'agent')).id}/`,
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/audit-log/',
    note: '(`X-Business-ID: {B}`)',
    method: 'GET',
    path: () => '/api/audit-log/',
    headers: (t) => ({ 'x-business-id': t.B.id }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/businesses/{B}/webhooks/',
    method: 'GET',
    path: (t) => webhooks(t.B.id),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'PATCH /api/businesses/{B}/webhooks/{webhook_id}/',
    note: "(a fresh endpoint of B's owner)",
    method: 'PATCH',
    path: (t) => freshWebhook(t, t.B),
    body: () => ({ description: 'Matrix endpoint' }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/reservations/',
    note: '(`X-Business-ID: {B}`)',
    method: 'GET',
    path: () => '/api/reservations/',
    headers: (t) => ({ 'x-business-id': t.B.id }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/reservations/{id}/',
    note: "(a fresh reservation with B by B's agent)",
    method: 'GET',
    path: async (t) => reservation(await reservationOfB(t)),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'PATCH /api/reservations/{id}/',
    note: "(notes of a fresh reservation with B by B's agent)",
    method: 'PATCH',
    path: async (t) => reservation(await reservationOfB(t)),
    body: () => ({ notes: 'Matrix note' }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'DELETE /api/reservations/{id}/',
    note: "(a fresh reservation with B by B's agent)",
    method: 'DELETE',
    path: async (t) => reservation(await reservationOfB(t)),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'POST /api/reservations/{id}/confirm/',
    note: "(a fresh reservation with B by B's agent)",
    method: 'POST',
    path: async (t) => `${reservation(await reservationOfB(t))}confirm/`,
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/reservations/export/',
    note: '(`X-Business-ID: {B}`)',
    method: 'GET',
    path: () => '/api/reservations/export/?format=json',
    headers: (t) => ({ 'x-business-id': t.B.id }),
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  // --- availability: public; the dashboard: A's managers and above for A, platform admins for any ---
  {
    name: 'GET /api/businesses/{A}/availability/',
    note: '(`?date=` a day ahead; public)',
    method: 'GET',
    path: (t) => `/api/businesses/${t.A.id}/availability/?date=2099-06-01`,
    expect: statuses(200, 200, 200, 200, 200, 200, 200),
  },
  {
    name: 'GET /api/dashboard/stats/',
    note: "(A's managers and above: A's numbers; a platform admin: every business's)",
    method: 'GET',
    path: () => '/api/dashboard/stats/',
    expect: statuses(401, 403, 403, 200, 200, 200, 200),
  },
  {
    name: 'GET /api/dashboard/stats/',
    note: '(`?business={B}`)',
    method: 'GET',
    path: (t) => `/api/dashboard/stats/?business=${t.B.id}`,
    expect: statuses(401, 404, 404, 404, 404, 404, 200),
  },
  {
    name: 'GET /api/jobs/',
    note: '(queue counts, failed jobs, email backlog)',
    method: 'GET',
    path: () => '/api/jobs/',
    expect: statuses(401, 403, 403, 403, 403, 403, 200),
  },
  {
    name: 'POST /api/jobs/{id}/retry/',
    note: '(no such failed job: 404 for the platform admin)',
    method: 'POST',
    path: () => '/api/jobs/email-nothing/retry/',
    expect: statuses(401, 403, 403, 403, 403, 403, 404),
  },
]
