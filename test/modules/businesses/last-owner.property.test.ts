// "The last owner cannot be removed or demoted": random sequences of member changes, each made through
// HTTP by one of the business's current owners, checked against a model after every step; then the
// races, where two changes that would each leave an owner arrive at once.
import { and, eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { memberships } from '../../../src/modules/businesses/tables.js'
import type { MembershipRole } from '../../../src/platform/tenancy.js'
import { invitationToken, makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import {
  acceptInvitation,
  addMemberAs,
  createBusinessAs,
  inviteAs,
  MEMBER_ROLES,
} from '../../helpers/tenants.js'

const ctx = useTestApp()
const POOL_SIZE = 6
let pool: TestUser[] = []
let platformAdmin: TestUser

beforeAll(async () => {
  ;[platformAdmin, ...pool] = await Promise.all([
    makeAdmin(ctx.app),
    ...Array.from({ length: POOL_SIZE }, () => makeUser(ctx.app)),
  ])
})

const byId = (id: string) => {
  const user = pool.find((candidate) => candidate.id === id)
  if (!user) throw new Error(`${id} is not in the pool`)
  return user
}

/** The business's live memberships, read from the table (not through the API). */
async function membersInDb(businessId: string): Promise<Map<string, MembershipRole>> {
  const rows = await ctx.app.deps.database.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.businessId, businessId), sql`not ${memberships.isDeleted}`))
  return new Map(rows.map((row) => [row.userId, row.role]))
}

const ownersIn = (members: Map<string, MembershipRole>) =>
  [...members].filter(([, role]) => role === 'owner').map(([id]) => id)

const memberUrl = (businessId: string, userId: string) => `/api/businesses/${businessId}/members/${userId}/`

const changeRole = (actor: TestUser, businessId: string, userId: string, role: MembershipRole) =>
  ctx.app.inject({
    method: 'PATCH',
    url: memberUrl(businessId, userId),
    headers: actor.auth,
    payload: { role },
  })

const remove = (actor: TestUser, businessId: string, userId: string) =>
  ctx.app.inject({ method: 'DELETE', url: memberUrl(businessId, userId), headers: actor.auth })

const codeOf = (response: LightMyRequestResponse) =>
  response.statusCode >= 400 ? (response.json() as { code: string }).code : null

type Op =
  | { kind: 'add'; actor: number; user: number; role: MembershipRole }
  | { kind: 'change'; actor: number; member: number; role: MembershipRole }
  | { kind: 'remove'; actor: number; member: number }

const role = fc.constantFrom(...MEMBER_ROLES)
const pick = fc.nat({ max: 1000 })
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), actor: pick, user: pick, role }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('change' as const), actor: pick, member: pick, role }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), actor: pick, member: pick }) },
)

/** What the API must answer, as `[status, code]`, given the model before the operation. */
function expected(
  model: Map<string, MembershipRole>,
  target: string,
  operation: Op,
): [number, string | null] {
  const current = model.get(target)
  const lastOwner = current === 'owner' && ownersIn(model).length === 1
  switch (operation.kind) {
    case 'add':
      return current ? [409, 'conflict'] : [201, null]
    case 'change':
      return lastOwner && operation.role !== 'owner' ? [409, 'last_owner'] : [200, null]
    case 'remove':
      return lastOwner ? [409, 'last_owner'] : [200, null]
  }
}

describe('the last owner', () => {
  it('random member changes by the owners never leave a business without an owner', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (operations) => {
        const founder = pool[0]
        if (!founder) throw new Error('no pool')
        const businessId = await createBusinessAs(ctx.app, founder)
        const model = new Map<string, MembershipRole>([[founder.id, 'owner']])
        for (const [step, operation] of operations.entries()) {
          const owners = ownersIn(model)
          const actor = byId(owners[operation.actor % owners.length] as string)
          const members = [...model.keys()]
          const target =
            operation.kind === 'add'
              ? (pool[operation.user % pool.length] as TestUser).id
              : (members[operation.member % members.length] as string)
          const [status, code] = expected(model, target, operation)
          let response: LightMyRequestResponse
          if (operation.kind === 'add') {
            // An owner invites the user's address; the user accepts with the mailed token.
            const invitation = await inviteAs(ctx.app, actor, businessId, byId(target).email, operation.role)
            response = await acceptInvitation(
              ctx.app,
              byId(target),
              await invitationToken(ctx.app, invitation.id),
            )
          } else if (operation.kind === 'change') {
            response = await changeRole(actor, businessId, target, operation.role)
          } else {
            response = await remove(actor, businessId, target)
          }
          const where = `step ${step} ${JSON.stringify(operation)}: ${response.body}`
          expect([response.statusCode, codeOf(response)], where).toEqual([status, code])
          if (status < 400) {
            if (operation.kind === 'remove') model.delete(target)
            else model.set(target, operation.role)
          }
          const inDb = await membersInDb(businessId)
          expect(ownersIn(inDb).length, where).toBeGreaterThanOrEqual(1)
          expect(inDb, where).toEqual(model)
        }
      }),
      { numRuns: 25 },
    )
  })
})

describe('two owners changing at once', () => {
  const ROUNDS = 5

  /** A business of pool[0] with pool[1] as a second owner. */
  async function twoOwners() {
    const [first, second] = pool as [TestUser, TestUser]
    const businessId = await createBusinessAs(ctx.app, first)
    await addMemberAs(ctx.app, first, businessId, second, 'owner')
    return { businessId, first, second }
  }

  /** Exactly one of the two succeeded; the other was refused with 409 last_owner; one owner is left. */
  async function expectOneWins(businessId: string, responses: LightMyRequestResponse[]) {
    const outcomes = responses.map((response) => [response.statusCode, codeOf(response)])
    expect(outcomes, responses.map((response) => response.body).join('\n')).toEqual(
      expect.arrayContaining([
        [200, null],
        [409, 'last_owner'],
      ]),
    )
    expect(ownersIn(await membersInDb(businessId))).toHaveLength(1)
  }

  it('both step down: one is demoted, the other is the last owner (409)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { businessId, first, second } = await twoOwners()
      await expectOneWins(
        businessId,
        await Promise.all([
          changeRole(first, businessId, first.id, 'admin'),
          changeRole(second, businessId, second.id, 'admin'),
        ]),
      )
    }
  })

  it('both leave: one is removed, the other is the last owner (409)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { businessId, first, second } = await twoOwners()
      await expectOneWins(
        businessId,
        await Promise.all([remove(first, businessId, first.id), remove(second, businessId, second.id)]),
      )
    }
  })

  it('a demotion and a removal of the two owners at once: one succeeds, the other is 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { businessId, first, second } = await twoOwners()
      await expectOneWins(
        businessId,
        await Promise.all([
          changeRole(platformAdmin, businessId, first.id, 'manager'),
          remove(platformAdmin, businessId, second.id),
        ]),
      )
    }
  })

  it('each demotes the other: one succeeds, the other is refused, an owner is left', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { businessId, first, second } = await twoOwners()
      const responses = await Promise.all([
        changeRole(first, businessId, second.id, 'admin'),
        changeRole(second, businessId, first.id, 'admin'),
      ])
      const outcomes = responses.map((response) => [response.statusCode, codeOf(response)])
      const bodies = responses.map((response) => response.body).join('\n')
      expect(
        outcomes.filter(([status]) => status === 200),
        bodies,
      ).toHaveLength(1)
      // The loser's power is checked again under the business lock, after the winner committed:
      // it is no longer an owner, so it may not demote one.
      expect(
        outcomes.find(([status]) => status !== 200),
        bodies,
      ).toEqual([403, 'permission_denied'])
      expect(ownersIn(await membersInDb(businessId))).toHaveLength(1)
    }
  })
})
