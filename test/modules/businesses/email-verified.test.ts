// Creating a business needs a verified email address (403 `email_not_verified`), except for platform
// admins and the creator's own business made at registration.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import {
  changeEmail,
  login,
  mailedToken,
  makeUser,
  smtpDown,
  type TestUser,
  uniqueName,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const ctx = useTestApp({ deps: { mailTransport: smtpDown } })

const createBusiness = (user: TestUser) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/businesses/',
    headers: user.auth,
    payload: { name: uniqueName('Business ') },
  })

const verify = (token: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/email/verify/', payload: { token } })

describe('POST /api/businesses/ and the email address', () => {
  it('answers 403 email_not_verified until the address is verified, then 201', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const refused = await createBusiness(user)
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual({
      code: 'email_not_verified',
      message: 'Verify your email address first.',
    })

    expect((await verify(await mailedToken(ctx.app, user.id, 'welcome'))).statusCode).toBe(200)
    expect((await createBusiness(user)).statusCode).toBe(201)
  })

  it('answers 403 again once the address changes', async () => {
    const user = await makeUser(ctx.app)
    expect((await createBusiness(user)).statusCode).toBe(201)
    await changeEmail(ctx.app, user)
    expect((await createBusiness(user)).json().code).toBe('email_not_verified')
  })

  it('still gives a creator their own business at registration', async () => {
    const creator = await makeUser(ctx.app, { role: 'creator', verified: false })
    const owned = await ctx.app.inject({ method: 'GET', url: '/api/businesses/', headers: creator.auth })
    expect(owned.json().data).toHaveLength(1)
    expect((await createBusiness(creator)).statusCode).toBe(403)
  })

  it('lets a platform admin create one without a verified address', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    await ctx.app.deps.database.db
      .update(users)
      .set({ role: 'admin', isStaff: true })
      .where(eq(users.id, user.id))
    const admin = await login(ctx.app, user)
    expect((await createBusiness(admin)).statusCode).toBe(201)
  })
})
