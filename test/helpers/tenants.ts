// Two businesses, each with an owner, admin, manager and agent, plus an outsider, a platform admin,
// and those whose authority is gone or not yet there (a removed manager, a deactivated and a demoted
// platform admin, an invited user who has not accepted): the cast of the role/endpoint matrix (test/role-matrix.ts). Everything is made through HTTP,
// the way a client would, so the factory also exercises business creation and invitations (members
// join by accepting the token mailed to them).
import type { InjectOptions } from 'fastify'
import type { App } from '../../src/app.js'
import type { MembershipRole } from '../../src/platform/tenancy.js'
import { invitationToken, makeAdmin, makeUser, type TestUser, uniqueName } from './accounts.js'

export const MEMBER_ROLES = [
  'owner',
  'admin',
  'manager',
  'agent',
] as const satisfies readonly MembershipRole[]

export type TenantBusiness = { id: string } & Record<MembershipRole, TestUser>

export type Tenants = {
  app: App
  /** The business the matrix is about. */
  A: TenantBusiness
  /** Another business: its rows must be invisible to A's members. */
  B: TenantBusiness
  /** A plain user with no membership. */
  outsider: TestUser
  platformAdmin: TestUser
  /** Once A's manager, removed from A after creating `removedManagerSession` there. */
  removedManager: TestUser
  removedManagerSession: string
  /** Once a platform admin, deactivated after using their token, which they still hold. */
  deactivatedAdmin: TestUser
  /** Once a platform admin, demoted to a plain user after using their token, which they still hold. */
  demotedAdmin: TestUser
  /** Invited to A as a manager, not (yet) accepted. */
  invited: TestUser
  /** Queues an undo (removing a fresh member, deleting a fresh business) for `settle()`. */
  defer(undo: () => Promise<unknown>): void
  /** Runs and forgets the queued undos, so the cast's memberships stay as built. */
  settle(): Promise<void>
}

/** POST /api/businesses/ as `owner`; answers the new business's id. */
export async function createBusinessAs(app: App, owner: TestUser, name = uniqueName('Business ')) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/businesses/',
    headers: owner.auth,
    payload: { name },
  })
  if (response.statusCode !== 201)
    throw new Error(`business create failed: ${response.statusCode} ${response.body}`)
  return response.json().data.id as string
}

export type InvitationOut = { id: string; email: string; role: MembershipRole; expires_at: string }

/** POST /api/businesses/{id}/members/ with an address as `actor`: the invitation it answers (202). */
export async function inviteAs(
  app: App,
  actor: TestUser,
  businessId: string,
  email: string,
  role: MembershipRole,
): Promise<InvitationOut> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/businesses/${businessId}/members/`,
    headers: actor.auth,
    payload: { email, role },
  })
  if (response.statusCode !== 202)
    throw new Error(`invitation failed: ${response.statusCode} ${response.body}`)
  return response.json().data
}

/** POST /api/invitations/accept/ as `user` (anonymous when null). */
export const acceptInvitation = (app: App, user: Pick<TestUser, 'auth'> | null, token: string) =>
  app.inject({
    method: 'POST',
    url: '/api/invitations/accept/',
    headers: user?.auth ?? {},
    payload: { token },
  })

/** `member` joins the business with `role`: invited by `actor`, accepted with the token mailed to them. */
export async function addMemberAs(
  app: App,
  actor: TestUser,
  businessId: string,
  member: Pick<TestUser, 'auth' | 'email'>,
  role: MembershipRole,
) {
  const invitation = await inviteAs(app, actor, businessId, member.email, role)
  const response = await acceptInvitation(app, member, await invitationToken(app, invitation.id))
  if (response.statusCode !== 201)
    throw new Error(`invitation accept failed: ${response.statusCode} ${response.body}`)
}

/** A platform admin adds an existing user at once (`direct: true`), without an invitation. */
export async function addMemberDirectly(
  app: App,
  platformAdmin: TestUser,
  businessId: string,
  member: Pick<TestUser, 'id'>,
  role: MembershipRole,
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/businesses/${businessId}/members/`,
    headers: platformAdmin.auth,
    payload: { user_id: member.id, role, direct: true },
  })
  if (response.statusCode !== 201)
    throw new Error(`direct member add failed: ${response.statusCode} ${response.body}`)
}

/** A business owned by a new plain user, with a new admin, manager and agent. */
export async function makeBusiness(app: App): Promise<TenantBusiness> {
  const [owner, admin, manager, agent] = await Promise.all(MEMBER_ROLES.map(() => makeUser(app)))
  if (!owner || !admin || !manager || !agent) throw new Error('unreachable')
  const id = await createBusinessAs(app, owner)
  for (const [user, role] of [
    [admin, 'admin'],
    [manager, 'manager'],
    [agent, 'agent'],
  ] as const)
    await addMemberAs(app, owner, id, user, role)
  return { id, owner, admin, manager, agent }
}

/** As `actor`: a request that must answer `status`, for building the cast. */
async function expectCall(app: App, actor: TestUser, status: number, options: InjectOptions) {
  const response = await app.inject({ ...options, headers: { ...actor.auth, ...options.headers } })
  if (response.statusCode !== status)
    throw new Error(`${options.method} ${options.url}: ${response.statusCode} ${response.body}`)
  return response
}

/** A's manager who creates a session in A and is then removed from A by its owner. */
async function makeRemovedManager(app: App, A: TenantBusiness) {
  const manager = await makeUser(app)
  await addMemberAs(app, A.owner, A.id, manager, 'manager')
  const created = await expectCall(app, manager, 201, {
    method: 'POST',
    url: '/api/sessions/',
    headers: { 'x-business-id': A.id },
    payload: { title: 'Made by a manager since removed', duration: 60, price: '10.00', max_participants: 5 },
  })
  await expectCall(app, A.owner, 200, {
    method: 'DELETE',
    url: `/api/businesses/${A.id}/members/${manager.id}/`,
  })
  return { removedManager: manager, removedManagerSession: created.json().data.id as string }
}

/** A platform admin who uses their token, then loses the role (`change`) through another admin. */
async function makeFormerAdmin(app: App, platformAdmin: TestUser, change: 'deactivate' | 'demote') {
  const admin = await makeAdmin(app)
  await expectCall(app, admin, 200, { method: 'GET', url: '/api/users/' })
  const url = `/api/users/${admin.id}/`
  if (change === 'deactivate') await expectCall(app, platformAdmin, 200, { method: 'DELETE', url })
  else
    await expectCall(app, platformAdmin, 200, {
      method: 'PATCH',
      url,
      payload: { role: 'user', is_staff: false },
    })
  return admin
}

export async function makeTenants(app: App): Promise<Tenants> {
  const [A, B, outsider, platformAdmin, invited] = await Promise.all([
    makeBusiness(app),
    makeBusiness(app),
    makeUser(app),
    makeAdmin(app),
    makeUser(app),
  ])
  const [removed, deactivatedAdmin, demotedAdmin] = await Promise.all([
    makeRemovedManager(app, A),
    makeFormerAdmin(app, platformAdmin, 'deactivate'),
    makeFormerAdmin(app, platformAdmin, 'demote'),
    inviteAs(app, A.owner, A.id, invited.email, 'manager'),
  ])
  let undos: (() => Promise<unknown>)[] = []
  return {
    app,
    A,
    B,
    outsider,
    platformAdmin,
    ...removed,
    deactivatedAdmin,
    demotedAdmin,
    invited,
    defer: (undo) => {
      undos.push(undo)
    },
    async settle() {
      const pending = undos.reverse()
      undos = []
      for (const undo of pending) await undo()
    },
  }
}

/** Soft-deletes a business as the platform admin (a 404 for one already deleted is fine). */
export const deleteBusinessAsAdmin = (t: Tenants, businessId: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/businesses/${businessId}/`, headers: t.platformAdmin.auth })

/**
 * A new business whose members hold the same roles as in `like` (its owner creates it): for rows that
 * destroy their target, such as deleting a business, so each caller gets its own. Deleted again at
 * `settle()`, so the cast keeps one membership each.
 */
export async function cloneBusiness(t: Tenants, like: TenantBusiness): Promise<string> {
  const id = await createBusinessAs(t.app, like.owner)
  t.defer(() => deleteBusinessAsAdmin(t, id))
  for (const role of ['admin', 'manager', 'agent'] as const)
    await addMemberAs(t.app, like.owner, id, like[role], role)
  return id
}

/**
 * A new user added to `business` by its owner with `role`: a target a row may change or remove. The
 * membership is removed again at `settle()`.
 */
export async function freshMember(
  t: Tenants,
  business: TenantBusiness,
  role: MembershipRole = 'agent',
): Promise<TestUser> {
  const user = await makeUser(t.app)
  await addMemberAs(t.app, business.owner, business.id, user, role)
  t.defer(() => removeMemberAsAdmin(t, business.id, user.id))
  return user
}

/** Removes a membership as the platform admin (a 404 for one already removed is fine). */
export const removeMemberAsAdmin = (t: Tenants, businessId: string, userId: string) =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/businesses/${businessId}/members/${userId}/`,
    headers: t.platformAdmin.auth,
  })

/** A new plain user that a row adds to `business`; removed from it again at `settle()` if it was added. */
export async function makeUserFor(t: Tenants, business: Pick<TenantBusiness, 'id'>): Promise<TestUser> {
  const user = await makeUser(t.app)
  t.defer(() => removeMemberAsAdmin(t, business.id, user.id))
  return user
}
