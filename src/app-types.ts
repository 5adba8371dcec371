// The types of the app and what it runs on, apart from buildApp: route modules name `App` without
// importing the module that imports them.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import type { PasswordHasher } from './modules/accounts/hasher.js'
import type { MailTransport } from './modules/mail/transport.js'
import type { Clock } from './platform/clock.js'
import type { Config } from './platform/config.js'
import type { CounterStore } from './platform/counters.js'
import type { DatabaseHandle } from './platform/db/index.js'
import type { InFlight } from './platform/http/in-flight.js'
import type { JobQueue } from './platform/jobs/queue.js'
import type { Redis } from './platform/redis.js'
import type { Totals } from './platform/totals.js'

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/** External resources the app runs on; tests pass their own, the server lets buildApp open them. */
export interface AppDeps {
  database: DatabaseHandle
  redis: Redis | null
  clock: Clock
  passwordHasher: PasswordHasher
  counters: CounterStore
  /** Running totals for /metrics: in Redis with REDIS_URL (shared with the worker), else in process. */
  totals: Totals
  /** The job queue: BullMQ with REDIS_URL, else in-process. */
  queue: JobQueue
  /** Where email goes when this process runs jobs; by default what the EMAIL_* settings describe. */
  mailTransport?: MailTransport
  /** The built web apps' directory (default web/dist); null serves the API alone. */
  webBuildDir?: string | null
  /** Where log lines go; by default standard output. */
  logStream?: DestinationStream
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    deps: AppDeps
    inFlight: InFlight
  }
}
