// What /metrics reports. A process's own metrics (its request durations, its connection pool and,
// without Redis, its in-process queue and totals) are summed over the web processes of a cluster; the
// shared ones (the outbox table, BullMQ, the totals in Redis) are read once, by the process scraped.
// Values read at scrape time go into a registry made for that scrape: a source that fails or does not
// answer within the timeout is left out of it, and the scrape still answers.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { DatabaseHandle } from '../../platform/db/index.js'
import type { JobQueue } from '../../platform/jobs/queue.js'
import { withTimeout } from '../../platform/timeout.js'
import { TOTAL_NAMES, type TotalName, type Totals } from '../../platform/totals.js'
import { outboxBacklog } from '../outbox/backlog.js'
import type { RequestDurations } from './requests.js'

export type MetricsSources = {
  database: DatabaseHandle
  queue: JobQueue
  totals: Totals
  /** How long a source read at scrape time may take before it is left out. */
  timeoutMs: number
}

export type Metrics = {
  requestDurations: RequestDurations
  /** This process's metrics, as of now. */
  own(): Promise<Registry>
  /** The metrics every process would read alike, as of now. */
  shared(): Promise<Registry>
}

type Reading = (registry: Registry) => Promise<void>

const gauge = (registry: Registry, name: string, help: string, value: number) =>
  new Gauge({ name, help, registers: [registry] }).set(value)

const counter = (registry: Registry, name: string, help: string, value: number) =>
  new Counter({ name, help, registers: [registry] }).inc(value)

const TOTAL_HELP: Record<TotalName, string> = {
  bookings_created: 'Bookings made.',
  reservations_created: 'Reservations made.',
  emails_sent: 'Emails sent: accepted by the SMTP server, or written as .eml files without EMAIL_HOST.',
  emails_failed: 'Attempts to send an email that failed (each retry counts).',
}

function totalsReading(totals: Totals, timeoutMs: number): Reading {
  return async (registry) => {
    const values = await withTimeout(totals.read(), timeoutMs, 'the totals')
    for (const name of TOTAL_NAMES) counter(registry, `tessera_${name}_total`, TOTAL_HELP[name], values[name])
  }
}

function queueReading(queue: JobQueue, timeoutMs: number): Reading {
  return async (registry) => {
    const counts = await withTimeout(queue.counts(), timeoutMs, 'the queue')
    const jobs = new Gauge({
      name: 'tessera_queue_jobs',
      help: 'Jobs in the queue, by state (failed: used up their attempts).',
      labelNames: ['state'],
      registers: [registry],
    })
    for (const [state, count] of Object.entries(counts)) jobs.set({ state }, count)
  }
}

function outboxReading(database: DatabaseHandle, timeoutMs: number): Reading {
  return async (registry) => {
    const backlog = await withTimeout(outboxBacklog(database.db), timeoutMs, 'the database')
    const oldest = backlog.oldest_unsent_at ? Date.parse(backlog.oldest_unsent_at) : Date.now()
    gauge(registry, 'tessera_outbox_unsent_emails', 'Emails in the outbox not sent yet.', backlog.unsent)
    gauge(registry, 'tessera_outbox_failing_emails', 'Unsent emails whose last try failed.', backlog.failing)
    gauge(
      registry,
      'tessera_outbox_oldest_unsent_age_seconds',
      'Age of the oldest unsent email (0 when none waits).',
      Math.max(0, (Date.now() - oldest) / 1000),
    )
  }
}

function poolReading(database: DatabaseHandle): Reading[] {
  const stats = database.poolStats
  if (!stats) return []
  return [
    async (registry) => {
      const pool = stats()
      gauge(registry, 'tessera_db_pool_connections', 'Open database connections, busy or idle.', pool.total)
      gauge(registry, 'tessera_db_pool_idle_connections', 'Idle database connections.', pool.idle)
      gauge(registry, 'tessera_db_pool_waiting_checkouts', 'Queries waiting for a connection.', pool.waiting)
      counter(registry, 'tessera_db_pool_waits_total', 'Checkouts that waited for a connection.', pool.waits)
      counter(
        registry,
        'tessera_db_pool_wait_seconds_total',
        'Time spent waiting for a connection.',
        pool.waitSeconds,
      )
    },
  ]
}

async function scrape(readings: Reading[]): Promise<Registry> {
  const registry = new Registry()
  await Promise.allSettled(readings.map((reading) => reading(registry)))
  return registry
}

let processRegistry: Registry | undefined

/** CPU, memory, event loop and GC: collected once per process, however many apps it builds (tests). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

export function createMetrics(sources: MetricsSources): Metrics {
  const { database, queue, totals, timeoutMs } = sources
  const registry = new Registry()
  const requestDurations: RequestDurations = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by route pattern.',
    labelNames: ['route', 'method', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  // Summed over a cluster: tells a scrape that missed a web process's report from one that did not.
  gauge(registry, 'tessera_web_processes', 'Web processes whose own metrics this scrape sums.', 1)
  const own = poolReading(database)
  const shared = [outboxReading(database, timeoutMs)]
  ;(queue.kind === 'bullmq' ? shared : own).push(queueReading(queue, timeoutMs))
  ;(totals.shared ? shared : own).push(totalsReading(totals, timeoutMs))
  return {
    requestDurations,
    own: async () => Registry.merge([registry, processMetrics(), await scrape(own)]),
    shared: () => scrape(shared),
  }
}
