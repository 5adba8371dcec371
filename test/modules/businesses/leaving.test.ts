// Leaving a business: any member may DELETE their own membership, whatever their role, except the last
// owner (409 last_owner). Removing someone else stays an owner's or admin's power.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { memberships } from '../../../src/modules/businesses/tables.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs, createBusinessAs, MEMBER_ROLES } from '../../helpers/tenants.js'

const ctx = useTestApp()
const db = () => ctx.app.deps.database.db

const leave = (who: TestUser, businessId: string, userId = who.id) =>
  ctx.app.inject({
    method: 'DELETE',
    url: `/api/businesses/${businessId}/members/${userId}/`,
    headers: who.auth,
  })

const liveMemberships = (userId: string) =>
  db()
    .select({ businessId: memberships.businessId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.isDeleted, false)))

let owner: TestUser
beforeAll(async () => {
  owner = await makeUser(ctx.app)
})

describe('leaving a business', () => {
  it.each(MEMBER_ROLES)('the %s leaves: 200 Deleted, the membership is gone and audited', async (role) => {
    const businessId = await createBusinessAs(ctx.app, owner)
    const member = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, businessId, member, role)
    const response = await leave(member, businessId)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Deleted' })
    expect(await liveMemberships(member.id)).toEqual([])
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.businessId, businessId),
          eq(auditLog.actorId, member.id),
          eq(auditLog.action, 'delete'),
        ),
      )
    expect(entry).toMatchObject({ entity: 'membership', changes: {} })
    // The business is no longer theirs to see.
    const detail = await ctx.app.inject({ url: `/api/businesses/${businessId}/`, headers: member.auth })
    expect(detail.statusCode).toBe(404)
  })

  it('a user added to a second business leaves it and acts without X-Business-ID again', async () => {
    const member = await makeUser(ctx.app)
    const own = await createBusinessAs(ctx.app, member)
    const other = await createBusinessAs(ctx.app, owner)
    await addMemberAs(ctx.app, owner, other, member, 'agent')
    const audit = () => ctx.app.inject({ url: '/api/audit-log/', headers: member.auth })
    expect((await audit()).json().code).toBe('business_required')
    expect((await leave(member, other)).statusCode).toBe(200)
    expect((await audit()).statusCode).toBe(200)
    expect(await liveMemberships(member.id)).toEqual([{ businessId: own, role: 'owner' }])
  })

  it('the last owner cannot leave (409 last_owner); one of two owners can', async () => {
    const businessId = await createBusinessAs(ctx.app, owner)
    const last = await leave(owner, businessId)
    expect(last.statusCode).toBe(409)
    expect(last.json().code).toBe('last_owner')
    const second = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, businessId, second, 'owner')
    expect((await leave(second, businessId)).statusCode).toBe(200)
    expect((await leave(owner, businessId)).json().code).toBe('last_owner')
    expect(await liveMemberships(owner.id)).toContainEqual({ businessId, role: 'owner' })
  })

  it('removing someone else is still for owners and admins: a manager or agent gets 403', async () => {
    const businessId = await createBusinessAs(ctx.app, owner)
    const [manager, agent] = [await makeUser(ctx.app), await makeUser(ctx.app)]
    await addMemberAs(ctx.app, owner, businessId, manager, 'manager')
    await addMemberAs(ctx.app, owner, businessId, agent, 'agent')
    expect((await leave(manager, businessId, agent.id)).statusCode).toBe(403)
    expect((await leave(agent, businessId, manager.id)).statusCode).toBe(403)
    expect(await liveMemberships(agent.id)).toEqual([{ businessId, role: 'agent' }])
    // A non-member naming themself gets 404, as for anything of a business they do not belong to.
    const outsider = await makeUser(ctx.app)
    expect((await leave(outsider, businessId)).statusCode).toBe(404)
  })
})
