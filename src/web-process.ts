// One web process: build the app, migrate, listen, and shut down gracefully on SIGTERM/SIGINT.
import { type App, buildApp } from './app.js'
import type { Config } from './platform/config.js'

export type RunningServer = { app: App; url: string; stop(): Promise<void> }

/**
 * Stops accepting connections, lets in-flight requests finish for up to `timeoutMs`, then cuts the
 * remaining connections; closing the app closes the database pool and Redis.
 */
export async function shutdown(app: App, timeoutMs: number): Promise<void> {
  // A keep-alive connection that finishes its request after close() began would otherwise stay open
  // until the client drops it: close connections as they become idle.
  const reaper = setInterval(() => app.server.closeIdleConnections(), 50)
  const deadline = setTimeout(() => {
    app.log.warn(`in-flight requests still running after ${timeoutMs} ms; closing their connections`)
    app.server.closeAllConnections()
    app.inFlight.abandon()
  }, timeoutMs)
  try {
    await app.close()
  } finally {
    clearInterval(reaper)
    clearTimeout(deadline)
  }
}

export async function startServer(config: Config): Promise<RunningServer> {
  const app = await buildApp(config)
  try {
    await app.deps.database.migrate()
    const url = await app.listen({ host: config.host, port: config.port })
    const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
    app.log.info(
      `Tessera serving on ${url} (database: ${database}; redis: ${config.redisUrl ? 'on' : 'off'})`,
    )
    return { app, url, stop: () => shutdown(app, config.shutdownTimeoutMs) }
  } catch (error) {
    await app.close()
    throw error
  }
}

/** Serves until SIGTERM or SIGINT, then finishes in-flight requests and exits. */
export async function runWebProcess(config: Config): Promise<void> {
  const server = await startServer(config)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal} received; finishing in-flight requests`)
      server.stop().then(
        () => process.exit(0),
        (error) => {
          server.app.log.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
}
