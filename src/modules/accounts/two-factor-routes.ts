// /api/auth/2fa/: TOTP setup, then enable and disable, both with the current password.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import type { AccountsContext } from './context.js'
import { DisableTwoFactorBody, EnableTwoFactorBody } from './schemas.js'
import { disableTwoFactor, enableTwoFactor, setupTwoFactor } from './two-factor-service.js'

const tags = ['auth']

export async function twoFactorRoutes(app: App, { ctx }: { ctx: AccountsContext }) {
  app.post(
    '/api/auth/2fa/setup/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        response: { 200: Envelope(Type.Object({ secret: Type.String(), otpauth_url: Type.String() })) },
      },
    },
    async (request) =>
      ok(await setupTwoFactor(ctx, requireUser(request)), 'Scan the code, then enable 2FA with a code'),
  )

  app.post(
    '/api/auth/2fa/enable/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Turn 2FA on with the current password and a code; answers 10 recovery codes',
        body: EnableTwoFactorBody,
        response: { 200: Envelope(Type.Object({ recovery_codes: Type.Array(Type.String()) })) },
      },
    },
    async (request) =>
      ok(await enableTwoFactor(ctx, requireUser(request), request.body), 'Two-factor authentication enabled'),
  )

  app.post(
    '/api/auth/2fa/disable/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        body: DisableTwoFactorBody,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await disableTwoFactor(ctx, requireUser(request), request.body.password, request.body.code)
      return ok(null, 'Two-factor authentication disabled')
    },
  )
}
