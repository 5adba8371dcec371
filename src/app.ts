// buildApp(config): the whole HTTP application. The server, the tests and the benchmarks build this
// same instance; only how it is started differs.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController } from 'fastify'
import type { App, AppDeps } from './app-types.js'
import { openQueue, type RunningJobs, startJobs } from './jobs.js'
import { rejectRefusedCredentials } from './modules/accounts/authentication.js'
import { createAccountsContext } from './modules/accounts/context.js'
import { argon2Hasher } from './modules/accounts/hasher.js'
import { accountsRoutes, registerAccounts } from './modules/accounts/index.js'
import { auditRoutes } from './modules/audit/routes.js'
import { bookingRoutes } from './modules/bookings/routes.js'
import { memberRoutes } from './modules/businesses/member-routes.js'
import { businessRoutes } from './modules/businesses/routes.js'
import { ensureOwnBusiness } from './modules/businesses/service.js'
import { calendarRoutes } from './modules/calendar/routes.js'
import { CATALOG_CACHE } from './modules/catalog/cache.js'
import { catalogRoutes } from './modules/catalog/routes.js'
import { dashboardRoutes } from './modules/dashboard/routes.js'
import { directoryRoutes } from './modules/directory/routes.js'
import { healthRoutes } from './modules/health/routes.js'
import { registerIdempotency } from './modules/idempotency/hook.js'
import { jobRoutes } from './modules/jobs/routes.js'
import { sealMailToken } from './modules/mail/messages.js'
import { registerMetrics } from './modules/metrics/routes.js'
import { availabilityRoutes } from './modules/reservations/availability.js'
import { reservationRoutes } from './modules/reservations/routes.js'
import { settingsRoutes } from './modules/settings/routes.js'
import { createSettingsService } from './modules/settings/service.js'
import { waitlistRoutes } from './modules/waitlist/routes.js'
import { loadWebBuild } from './modules/web/build.js'
import { pageFallback, webRoutes } from './modules/web/routes.js'
import { webhookRoutes } from './modules/webhooks/routes.js'
import { secretBox } from './modules/webhooks/signature.js'
import { openCache } from './platform/cache.js'
import { systemClock } from './platform/clock.js'
import type { Config } from './platform/config.js'
import { openCounterStore } from './platform/counters.js'
import { deriveKey } from './platform/crypto.js'
import { openDatabase } from './platform/db/index.js'
import { registerAllowedHosts } from './platform/http/allowed-hosts.js'
import { registerDocsRoutes, registerOpenApi } from './platform/http/docs.js'
import { registerErrorHandling } from './platform/http/error-handler.js'
import { trackInFlight } from './platform/http/in-flight.js'
import { inputFormats, registerFiniteNumbers } from './platform/http/inputs.js'
import { generateRequestId, registerRequestIdHeader } from './platform/http/request-id.js'
import { registerRouteTable } from './platform/http/route-table.js'
import { registerSecurity } from './platform/http/security.js'
import { registerThrottles } from './platform/http/throttle.js'
import { loggerOptions } from './platform/logging.js'
import { openRedis } from './platform/redis.js'
import { openTotals } from './platform/totals.js'

export type { App, AppDeps }

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
}

export const MAX_BODY_BYTES = 1024 * 1024

/** Where Vite writes the web apps (from src/ and from the compiled dist/ alike). */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../web/dist', import.meta.url))

export async function buildApp(config: Config, given: Partial<AppDeps> = {}): Promise<App> {
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), ...(given.logStream && { stream: given.logStream }) },
    genReqId: generateRequestId,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: MAX_BODY_BYTES,
    // With TRUST_PROXY the client address is the first X-Forwarded-For entry: the proxy in front must
    // set the header (deploy/nginx.conf does), not append to what the client sent.
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    ajv: {
      // Unknown fields are ignored (API.md): dropped here, so no handler or later check sees them.
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: 'all', useDefaults: true },
      plugins: [inputFormats],
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const ownsDatabase = !given.database
  const database =
    given.database ??
    (await openDatabase(config, (error) => app.log.warn({ err: error }, 'database pool error')))
  const ownsRedis = given.redis === undefined
  const redis =
    given.redis !== undefined ? given.redis : config.redisUrl ? openRedis(config.redisUrl, app.log) : null
  const clock = given.clock ?? systemClock
  const counters = given.counters ?? openCounterStore(redis)
  const queue = given.queue ?? openQueue(config, app.log)
  const deps: AppDeps = {
    database,
    redis,
    clock,
    passwordHasher: given.passwordHasher ?? argon2Hasher,
    counters,
    totals: given.totals ?? openTotals(redis),
    queue,
    ...(given.mailTransport ? { mailTransport: given.mailTransport } : {}),
  }
  app.decorate('config', config)
  app.decorate('deps', deps)
  const inFlight = trackInFlight(app)
  app.decorate('inFlight', inFlight)
  let jobs: RunningJobs | undefined
  app.addHook('onClose', async () => {
    if (!(await inFlight.drained(config.shutdownTimeoutMs)))
      app.log.warn(
        `${inFlight.count} request handlers still running at shutdown; closing the database anyway`,
      )
    await jobs?.stop()
    if (!given.queue) await queue.close()
    if (ownsRedis && redis) redis.disconnect()
    if (ownsDatabase) await database.close()
  })

  // The API speaks JSON only: any other body gets 415 rather than reaching a handler as a string.
  app.removeContentTypeParser('text/plain')
  registerRouteTable(app)
  registerRequestIdHeader(app)
  registerAllowedHosts(app, config.allowedHosts)
  const web = loadWebBuild(given.webBuildDir === undefined ? WEB_BUILD_DIR : given.webBuildDir)
  registerErrorHandling(app, pageFallback(web))
  registerFiniteNumbers(app)
  // Before every other route: it times each route's requests from here on.
  await registerMetrics(app, { ...deps, timeoutMs: config.readinessTimeoutMs })
  registerIdempotency(app, { root: database.root, clock })
  await registerSecurity(app, config)
  await registerOpenApi(app, version)

  const settings = createSettingsService(database.db, clock, redis)
  app.addHook('onClose', () => settings.close())
  // Without Redis there is no separate worker: this process runs the jobs, once the app is ready (and
  // so after the server's migrations).
  if (!config.redisUrl) {
    app.addHook('onReady', async () => {
      jobs = await startJobs({
        config,
        database,
        queue,
        clock,
        settings,
        totals: deps.totals,
        log: app.log,
        ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
      })
    })
  }
  const cache = openCache(redis)
  const catalogDeps = { db: database.db, clock, cache, cacheTtlMs: config.catalogCacheTtlMs }
  const businessDeps = {
    db: database.db,
    clock,
    settings,
    onPublicChange: () => cache.invalidate(CATALOG_CACHE),
  }
  const accounts = createAccountsContext(
    config,
    { ...deps, db: database.db, hasher: deps.passwordHasher },
    {
      registrationOpen: async () => (await settings.get()).allowRegistration,
      creatorCreated: (tx, user, actor) => ensureOwnBusiness(tx, businessDeps, user, actor),
      publicProfileChanged: () => cache.invalidate(CATALOG_CACHE),
    },
  )
  await registerAccounts(app, accounts)
  app.addHook('onClose', () => accounts.userStates.close())
  registerThrottles(app, counters, clock, {
    auth: config.throttleAuth,
    anon: config.throttleAnon,
    user: config.throttleUser,
  })
  rejectRefusedCredentials(app)

  await app.register(healthRoutes)
  await accountsRoutes(app, accounts)
  await app.register(businessRoutes, { deps: businessDeps })
  await app.register(directoryRoutes, { deps: { db: database.db } })
  await app.register(memberRoutes, {
    deps: { ...businessDeps, sealMailToken: (token: string) => sealMailToken(config.secretKey, token) },
  })
  await app.register(auditRoutes)
  await app.register(settingsRoutes, { settings })
  await app.register(catalogRoutes, { deps: catalogDeps })
  await app.register(bookingRoutes, { deps: { db: database.db, clock } })
  await app.register(waitlistRoutes, { deps: { db: database.db, clock } })
  await app.register(reservationRoutes, { deps: { db: database.db, clock } })
  await app.register(availabilityRoutes, { deps: { db: database.db, clock } })
  await app.register(dashboardRoutes, { deps: { db: database.db, clock, settings } })
  await app.register(calendarRoutes, {
    deps: { db: database.db, clock, key: deriveKey(config.secretKey, 'calendar-feed') },
  })
  await app.register(webhookRoutes, {
    deps: {
      db: database.db,
      clock,
      secrets: secretBox(config.secretKey),
      allowPrivate: config.webhookAllowPrivate,
    },
  })
  await app.register(jobRoutes)
  await registerDocsRoutes(app)
  await app.register(webRoutes, { build: web })
  return app
}
