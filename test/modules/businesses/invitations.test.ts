// Invitations: nobody becomes a member without consenting, and inviting never tells which addresses
// have accounts. An owner or admin invites an address (202, the same answer for any address); the
// invitee, signed in with that address, accepts with the mailed token (201 with the business). The
// token works once, for 7 days, for its address only; re-inviting replaces it; staff list and revoke
// pending ones. Platform admins alone add an existing user at once. Time moves only through the
// ManualClock; access tokens live long enough for the jumps below.
import { randomBytes } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { invitations, memberships } from '../../../src/modules/businesses/tables.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { invitationToken, makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import {
  acceptInvitation,
  addMemberAs,
  createBusinessAs,
  type InvitationOut,
  inviteAs,
} from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const DAY = 24 * 3_600_000
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
useWorker(() => ctx.app)
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

const newAddress = () => `invitee-${randomBytes(4).toString('hex')}@example.com`

const membersUrl = (businessId: string) => `/api/businesses/${businessId}/members/`
const invitationsUrl = (businessId: string) => `/api/businesses/${businessId}/invitations/`

const post = (who: TestUser, businessId: string, payload: Record<string, unknown>) =>
  call({ method: 'POST', url: membersUrl(businessId), headers: who.auth, payload })

const accept = (who: TestUser | null, token: string) => acceptInvitation(ctx.app, who, token)

const liveMemberships = (userId: string) =>
  db()
    .select({ businessId: memberships.businessId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.isDeleted, false)))

async function pending(who: TestUser, businessId: string): Promise<InvitationOut[]> {
  const response = await call({ url: `${invitationsUrl(businessId)}?page_size=100`, headers: who.auth })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

let owner: TestUser
let admin: TestUser
let platformAdmin: TestUser
let businessId: string
beforeAll(async () => {
  ;[owner, admin, platformAdmin] = await Promise.all([
    makeUser(ctx.app),
    makeUser(ctx.app),
    makeAdmin(ctx.app),
  ])
  businessId = await createBusinessAs(ctx.app, owner)
  await addMemberAs(ctx.app, owner, businessId, admin, 'admin')
})

describe('inviting', () => {
  it('answers the same 202 for an address with an account and one without, and adds nobody', async () => {
    const holder = await makeUser(ctx.app)
    const known = await post(owner, businessId, { email: holder.email, role: 'agent' })
    const unknown = await post(owner, businessId, { email: newAddress(), role: 'agent' })
    for (const response of [known, unknown]) {
      expect(response.statusCode, response.body).toBe(202)
      expect(Object.keys(response.json()).sort()).toEqual(['data', 'message'])
      expect(Object.keys(response.json().data).sort()).toEqual(['email', 'expires_at', 'id', 'role'])
      expect(response.json().data.expires_at).toBe(new Date(START.getTime() + 7 * DAY).toISOString())
    }
    expect(known.json().message).toBe(unknown.json().message)
    expect(known.json().data).toMatchObject({ email: holder.email, role: 'agent' })
    // Nothing about the account shows: not its id, not its username (beyond the address as typed).
    expect(known.body).not.toContain(holder.id)
    expect(known.body.replaceAll(holder.email, '')).not.toContain(holder.username)
    // Consent first: the holder is not a member until they accept.
    expect(await liveMemberships(holder.id)).toEqual([])
  })

  it('mails the address an invitation through the outbox', async () => {
    const address = newAddress()
    const invitation = await inviteAs(ctx.app, owner, businessId, address, 'manager')
    const rows = await db().select().from(outbox).where(eq(outbox.template, 'invitation'))
    const row = rows.find(
      (candidate) => (candidate.params as { invitationId: string }).invitationId === invitation.id,
    )
    expect(row).toBeDefined()
    // The row holds the token sealed (or nothing, once sent), never in the clear.
    const token = await invitationToken(ctx.app, invitation.id)
    expect(JSON.stringify(row?.params)).not.toContain(token)
    // And the table keeps only its SHA-256.
    const [stored] = await db().select().from(invitations).where(eq(invitations.id, invitation.id))
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(token)
  })

  it('the email goes out, and the link it carries is accepted', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const sent = await eventually('the invitation email sent', async () => {
      const rows = await db().select().from(outbox).where(eq(outbox.template, 'invitation'))
      return rows.find(
        (row) => (row.params as { invitationId: string }).invitationId === invitation.id && row.sentAt,
      )
    })
    // Once sent, the row no longer holds the token: it is read from the delivered email.
    expect(sent.params).toEqual({ invitationId: invitation.id })
    expect(sent.lastError).toBeNull()
    const response = await accept(invitee, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode, response.body).toBe(201)
  })

  it('refuses a malformed address or role with 400 naming the field', async () => {
    for (const [payload, field] of [
      [{ email: 'not-an-address', role: 'agent' }, 'email'],
      [{ role: 'agent' }, 'email'],
      [{ email: newAddress(), role: 'boss' }, 'role'],
      [{ email: newAddress() }, 'role'],
    ] as const) {
      const response = await post(owner, businessId, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().code).toBe('validation_error')
      expect(Object.keys(response.json().errors), JSON.stringify(payload)).toContain(field)
    }
  })

  it('only an owner invites an owner; a manager or agent invites nobody; outsiders get 404', async () => {
    const manager = await makeUser(ctx.app)
    const outsider = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, businessId, manager, 'manager')
    expect((await post(admin, businessId, { email: newAddress(), role: 'owner' })).statusCode).toBe(403)
    expect((await post(admin, businessId, { email: newAddress(), role: 'admin' })).statusCode).toBe(202)
    expect((await post(owner, businessId, { email: newAddress(), role: 'owner' })).statusCode).toBe(202)
    expect((await post(manager, businessId, { email: newAddress(), role: 'agent' })).statusCode).toBe(403)
    expect((await post(outsider, businessId, { email: newAddress(), role: 'agent' })).statusCode).toBe(404)
  })

  it('re-inviting an address (in any case) replaces its pending invitation: the old link dies', async () => {
    const invitee = await makeUser(ctx.app, { verified: false })
    const first = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const firstToken = await invitationToken(ctx.app, first.id)
    clock.advance(1000)
    const second = await inviteAs(ctx.app, admin, businessId, invitee.email.toUpperCase(), 'manager')
    expect(second.id).not.toBe(first.id)
    const listed = (await pending(owner, businessId)).filter(
      (item) => item.email.toLowerCase() === invitee.email.toLowerCase(),
    )
    expect(listed).toEqual([second])
    const old = await accept(invitee, firstToken)
    expect(old.statusCode).toBe(400)
    expect(old.json().code).toBe('token_invalid')
    expect((await accept(invitee, await invitationToken(ctx.app, second.id))).statusCode).toBe(201)
    expect(await liveMemberships(invitee.id)).toEqual([{ businessId, role: 'manager' }])
  })
})

describe('accepting', () => {
  it('creates the membership: 201 with the business, audited, and the address is verified', async () => {
    const invitee = await makeUser(ctx.app, { verified: false })
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'manager')
    const requestId = `accept-${randomBytes(4).toString('hex')}`
    const response = await call({
      method: 'POST',
      url: '/api/invitations/accept/',
      headers: { ...invitee.auth, 'x-request-id': requestId },
      payload: { token: await invitationToken(ctx.app, invitation.id) },
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().message).toBeTruthy()
    const business = (await call({ url: `/api/businesses/${businessId}/`, headers: owner.auth })).json().data
    // The same business; my_role is the reader's own (the owner read it, the invitee accepted).
    expect(response.json().data).toEqual({ ...business, my_role: 'manager' })
    expect(await liveMemberships(invitee.id)).toEqual([{ businessId, role: 'manager' }])
    const [membership] = await db()
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, invitee.id), eq(memberships.businessId, businessId)))
    const rows = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      action: 'create',
      entity: 'membership',
      entityId: membership?.id,
      businessId,
      actorId: invitee.id,
      changes: { user_id: [null, invitee.id], role: [null, 'manager'], invitation_id: [null, invitation.id] },
    })
    // Holding the mailed token proves the mailbox.
    const [user] = await db().select().from(users).where(eq(users.id, invitee.id))
    expect(user?.emailVerified).toBe(true)
    // The invitation is no longer pending.
    expect((await pending(owner, businessId)).map((item) => item.id)).not.toContain(invitation.id)
  })

  it('a user who registers with the invited address after the invitation accepts right away', async () => {
    const address = newAddress()
    const invitation = await inviteAs(ctx.app, owner, businessId, address, 'agent')
    const newcomer = await makeUser(ctx.app, { email: address, verified: false })
    const response = await accept(newcomer, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode, response.body).toBe(201)
    expect(await liveMemberships(newcomer.id)).toEqual([{ businessId, role: 'agent' }])
  })

  it('a token works once', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const token = await invitationToken(ctx.app, invitation.id)
    expect((await accept(invitee, token)).statusCode).toBe(201)
    const again = await accept(invitee, token)
    expect(again.statusCode).toBe(400)
    expect(again.json().code).toBe('token_invalid')
  })

  it('two accepts of one token at once: exactly one 201, one membership', async () => {
    for (let round = 0; round < 5; round++) {
      const invitee = await makeUser(ctx.app)
      const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
      const token = await invitationToken(ctx.app, invitation.id)
      const responses = await Promise.all([accept(invitee, token), accept(invitee, token)])
      expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 400])
      expect(await liveMemberships(invitee.id)).toHaveLength(1)
    }
  })

  it('is valid for 7 days', async () => {
    const early = await makeUser(ctx.app)
    const late = await makeUser(ctx.app)
    const forEarly = await inviteAs(ctx.app, owner, businessId, early.email, 'agent')
    const forLate = await inviteAs(ctx.app, owner, businessId, late.email, 'agent')
    clock.advance(7 * DAY - 60_000)
    expect((await accept(early, await invitationToken(ctx.app, forEarly.id))).statusCode).toBe(201)
    clock.advance(2 * 60_000)
    const expired = await accept(late, await invitationToken(ctx.app, forLate.id))
    expect(expired.statusCode).toBe(400)
    expect(expired.json().code).toBe('token_invalid')
    expect(await liveMemberships(late.id)).toEqual([])
    // An expired invitation is no longer pending.
    expect((await pending(owner, businessId)).map((item) => item.id)).not.toContain(forLate.id)
  })

  it('another address’s token is refused (400) and stays good for its own address', async () => {
    const invitee = await makeUser(ctx.app)
    const thief = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const token = await invitationToken(ctx.app, invitation.id)
    const foreign = await accept(thief, token)
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json().code).toBe('token_invalid')
    expect(await liveMemberships(thief.id)).toEqual([])
    expect((await accept(invitee, token)).statusCode).toBe(201)
  })

  it('follows the account’s current address: after changing away from it, the token is refused', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const moved = await call({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: invitee.auth,
      payload: { email: newAddress(), password: invitee.password },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    const response = await accept(invitee, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('token_invalid')
  })

  it('a never-issued token: 400 token_invalid; no token: 400 naming it; anonymous: 401', async () => {
    const user = await makeUser(ctx.app)
    const unknown = await accept(user, randomBytes(32).toString('base64url'))
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().code).toBe('token_invalid')
    const missing = await call({
      method: 'POST',
      url: '/api/invitations/accept/',
      headers: user.auth,
      payload: {},
    })
    expect(missing.statusCode).toBe(400)
    expect(Object.keys(missing.json().errors)).toEqual(['token'])
    expect((await accept(null, 'whatever')).statusCode).toBe(401)
  })

  it('an invitation to a business deleted since: 400 token_invalid', async () => {
    const doomed = await createBusinessAs(ctx.app, owner)
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, doomed, invitee.email, 'agent')
    const deleted = await call({ method: 'DELETE', url: `/api/businesses/${doomed}/`, headers: owner.auth })
    expect(deleted.statusCode).toBe(200)
    const response = await accept(invitee, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('token_invalid')
  })

  it('someone who is a member already: 409 conflict, and the invitation stays pending', async () => {
    const invitation = await inviteAs(ctx.app, owner, businessId, admin.email, 'manager')
    const response = await accept(admin, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode).toBe(409)
    expect(response.json().code).toBe('conflict')
    expect(await liveMemberships(admin.id)).toEqual([{ businessId, role: 'admin' }])
    expect((await pending(owner, businessId)).map((item) => item.id)).toContain(invitation.id)
  })

  it('works with the cookie session too (with its CSRF token)', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const csrf = await call({ url: '/api/auth/csrf/' })
    const jar = (response: { cookies: { name: string; value: string }[] }) =>
      Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]))
    const login = await call({
      method: 'POST',
      url: '/api/auth/session/login/',
      cookies: jar(csrf),
      headers: { 'x-csrftoken': jar(csrf).csrftoken ?? '' },
      payload: { username: invitee.username, password: invitee.password },
    })
    expect(login.statusCode, login.body).toBe(200)
    const cookies = jar(login)
    const response = await call({
      method: 'POST',
      url: '/api/invitations/accept/',
      cookies,
      headers: { 'x-csrftoken': cookies.csrftoken ?? '' },
      payload: { token: await invitationToken(ctx.app, invitation.id) },
    })
    expect(response.statusCode, response.body).toBe(201)
  })
})

describe('GET and DELETE /api/businesses/{id}/invitations/', () => {
  it('lists pending invitations, oldest first, paginated, to owners and admins', async () => {
    const own = await createBusinessAs(ctx.app, owner)
    const made: InvitationOut[] = []
    for (let n = 0; n < 3; n++) {
      clock.advance(1000)
      made.push(await inviteAs(ctx.app, owner, own, newAddress(), 'agent'))
    }
    const first = await call({ url: `${invitationsUrl(own)}?page_size=2`, headers: owner.auth })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().data).toEqual(made.slice(0, 2))
    expect(first.json().meta.pagination).toMatchObject({ total: 3, total_pages: 2 })
    const second = await call({ url: `${invitationsUrl(own)}?page=2&page_size=2`, headers: owner.auth })
    expect(second.json().data).toEqual(made.slice(2))
  })

  it('revokes: 200 Deleted, the link dies, and an unknown or foreign invitation is 404', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const token = await invitationToken(ctx.app, invitation.id)
    const revoke = (who: TestUser, business: string, id: string) =>
      call({ method: 'DELETE', url: `${invitationsUrl(business)}${id}/`, headers: who.auth })

    const otherOwner = await makeUser(ctx.app)
    const other = await createBusinessAs(ctx.app, otherOwner)
    // Another business's owner naming this invitation under their own business: 404.
    expect((await revoke(otherOwner, other, invitation.id)).statusCode).toBe(404)
    expect((await revoke(owner, businessId, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)

    const response = await revoke(admin, businessId, invitation.id)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Deleted' })
    expect((await pending(owner, businessId)).map((item) => item.id)).not.toContain(invitation.id)
    expect((await revoke(owner, businessId, invitation.id)).statusCode).toBe(404)
    const late = await accept(invitee, token)
    expect(late.statusCode).toBe(400)
    expect(late.json().code).toBe('token_invalid')

    // An owner's invitation is revoked by an owner only.
    const ownerInvitation = await inviteAs(ctx.app, owner, businessId, newAddress(), 'owner')
    expect((await revoke(admin, businessId, ownerInvitation.id)).statusCode).toBe(403)
    expect((await revoke(owner, businessId, ownerInvitation.id)).statusCode).toBe(200)
  })

  it('audits an invitation and its revocation under entity membership', async () => {
    const address = newAddress()
    const invitation = await inviteAs(ctx.app, owner, businessId, address, 'agent')
    await call({
      method: 'DELETE',
      url: `${invitationsUrl(businessId)}${invitation.id}/`,
      headers: owner.auth,
    })
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'membership'), eq(auditLog.entityId, invitation.id)))
    expect(rows.map((row) => [row.action, row.changes]).sort()).toEqual([
      [
        'create',
        { invited_email: [null, address], role: [null, 'agent'], expires_at: [null, invitation.expires_at] },
      ],
      ['delete', {}],
    ])
  })
})

describe('adding a user directly', () => {
  it('is for platform admins: 201 with the member item', async () => {
    const user = await makeUser(ctx.app)
    const response = await post(platformAdmin, businessId, { user_id: user.id, role: 'agent', direct: true })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().data).toEqual({
      user: { id: user.id, username: user.username, email: user.email, first_name: '', last_name: '' },
      role: 'agent',
      created_at: expect.any(String),
    })
    expect(await liveMemberships(user.id)).toEqual([{ businessId, role: 'agent' }])
    // Again: 409.
    const again = await post(platformAdmin, businessId, { user_id: user.id, role: 'agent', direct: true })
    expect(again.statusCode).toBe(409)
    // A user that does not exist: 400 naming user_id.
    const unknown = await post(platformAdmin, businessId, {
      user_id: '00000000-0000-4000-8000-000000000000',
      role: 'agent',
      direct: true,
    })
    expect(unknown.statusCode).toBe(400)
    expect(Object.keys(unknown.json().errors)).toEqual(['user_id'])
    // Without user_id, or with user_id but not direct: 400 naming what is missing.
    const missing = await post(platformAdmin, businessId, { role: 'agent', direct: true })
    expect(missing.statusCode).toBe(400)
    expect(Object.keys(missing.json().errors)).toEqual(['user_id'])
    const indirect = await post(platformAdmin, businessId, { user_id: user.id, role: 'agent', direct: false })
    expect(indirect.statusCode).toBe(400)
    expect(Object.keys(indirect.json().errors)).toEqual(['direct'])
    // direct: false with an address is an invitation, for platform admins too.
    const invited = await post(platformAdmin, businessId, {
      email: newAddress(),
      role: 'agent',
      direct: false,
    })
    expect(invited.statusCode).toBe(202)
  })

  it('refuses anyone else with 403, adds nobody and tells nothing about the user', async () => {
    const victim = await makeUser(ctx.app)
    for (const payload of [
      { user_id: victim.id, role: 'agent' },
      { user_id: victim.id, role: 'agent', direct: true },
      { email: victim.email, role: 'agent', direct: true },
    ]) {
      const response = await post(owner, businessId, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(403)
      expect(response.json().code).toBe('permission_denied')
      expect(response.body).not.toContain(victim.email)
    }
    expect(await liveMemberships(victim.id)).toEqual([])
    // Non-members still get 404 first.
    const outsider = await makeUser(ctx.app)
    const response = await post(outsider, businessId, { user_id: victim.id, role: 'agent', direct: true })
    expect(response.statusCode).toBe(404)
  })
})
