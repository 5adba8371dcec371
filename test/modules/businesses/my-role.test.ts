// The caller's own role on business answers (`my_role`): every member sees theirs on the list, the
// detail, a change and an accepted invitation; a platform admin without a membership sees null.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { invitationToken, makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import {
  acceptInvitation,
  addMemberDirectly,
  inviteAs,
  MEMBER_ROLES,
  makeBusiness,
  type TenantBusiness,
} from '../../helpers/tenants.js'

const ctx = useTestApp()
const call = (options: InjectOptions) => ctx.app.inject(options)

let business: TenantBusiness
let admin: TestUser

beforeAll(async () => {
  ;[business, admin] = await Promise.all([makeBusiness(ctx.app), makeAdmin(ctx.app)])
})

async function listedRole(who: TestUser, id: string) {
  for (let page = 1; ; page += 1) {
    const response = await call({ url: `/api/businesses/?page=${page}&page_size=100`, headers: who.auth })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    const found = body.data.find((item: { id: string }) => item.id === id)
    if (found) return found.my_role
    if (!body.meta.pagination.next) throw new Error(`${id} is not listed`)
  }
}

async function detailRole(who: TestUser, id: string) {
  const response = await call({ url: `/api/businesses/${id}/`, headers: who.auth })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.my_role
}

describe('my_role', () => {
  it("is each member's own role on the list and the detail", async () => {
    for (const role of MEMBER_ROLES) {
      expect(await listedRole(business[role], business.id)).toBe(role)
      expect(await detailRole(business[role], business.id)).toBe(role)
    }
  })

  it('is owner on the answer to a create, and the changer’s role on the answer to a change', async () => {
    const owner = await makeUser(ctx.app)
    const created = await call({
      method: 'POST',
      url: '/api/businesses/',
      headers: owner.auth,
      payload: { name: 'Role test' },
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().data.my_role).toBe('owner')
    const changed = await call({
      method: 'PATCH',
      url: `/api/businesses/${business.id}/`,
      headers: business.admin.auth,
      payload: { currency: 'EUR' },
    })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json().data.my_role).toBe('admin')
  })

  it('is null for a platform admin without a membership, and their role when they have one', async () => {
    expect(await listedRole(admin, business.id)).toBeNull()
    expect(await detailRole(admin, business.id)).toBeNull()
    const changed = await call({
      method: 'PATCH',
      url: `/api/businesses/${business.id}/`,
      headers: admin.auth,
      payload: { currency: 'GBP' },
    })
    expect(changed.json().data.my_role).toBeNull()

    const member = await makeAdmin(ctx.app)
    await addMemberDirectly(ctx.app, admin, business.id, member, 'manager')
    expect(await listedRole(member, business.id)).toBe('manager')
    expect(await detailRole(member, business.id)).toBe('manager')
  })

  it('is the invited role on the answer to an accepted invitation', async () => {
    const invitee = await makeUser(ctx.app)
    const invitation = await inviteAs(ctx.app, business.owner, business.id, invitee.email, 'agent')
    const response = await acceptInvitation(ctx.app, invitee, await invitationToken(ctx.app, invitation.id))
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().data).toMatchObject({ id: business.id, my_role: 'agent' })
  })

  it('is documented in the one Business schema', async () => {
    const document = (await call({ url: '/api/schema/' })).json()
    const schema = document.components.schemas.Business
    expect(schema.required).toContain('my_role')
    expect(schema.properties.my_role.description).toMatch(/caller/)
  })
})
