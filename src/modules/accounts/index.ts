// The accounts module: authentication for the whole app, then the auth and users endpoints.
import type { App } from '../../app-types.js'
import { authThrottle } from '../../platform/http/throttle.js'
import { authRoutes } from './auth-routes.js'
import { registerAuthentication } from './authentication.js'
import type { AccountsContext } from './context.js'
import { twoFactorRoutes } from './two-factor-routes.js'
import { userRoutes } from './user-routes.js'

/** Registers the authentication hook on the root instance (it must see every request). */
export async function registerAccounts(app: App, ctx: AccountsContext): Promise<void> {
  await registerAuthentication(app, ctx, app.config)
}

export async function accountsRoutes(app: App, ctx: AccountsContext): Promise<void> {
  const guardAuth = authThrottle(ctx.counters, ctx.clock, app.config.throttleAuth)
  await app.register(authRoutes, { ctx, guardAuth })
  await app.register(twoFactorRoutes, { ctx })
  await app.register(userRoutes, { ctx })
}
