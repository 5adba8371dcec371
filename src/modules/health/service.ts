import type { AppDeps } from '../../app-types.js'
import type { JobCounts } from '../../platform/jobs/queue.js'
import { withTimeout } from '../../platform/timeout.js'
import { type OutboxBacklog, outboxBacklog } from '../outbox/backlog.js'

export type ReadinessReport = {
  status: 'ok' | 'unavailable'
  failing: string[]
  checks: Record<string, string>
  /** Work waiting: unsent emails and the queue's counts (absent for a part that did not answer). */
  backlog: { outbox?: OutboxBacklog; queue?: JobCounts }
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  return code ? `unreachable (${code})` : (message ?? 'failed')
}

// Load balancers ask for readiness many times a second; counting a long backlog each time would make
// readiness the most expensive request there is. One measurement serves for this long.
const BACKLOG_KEPT_MS = 5000
const lastBacklog = new WeakMap<object, { at: number; backlog: Promise<ReadinessReport['backlog']> }>()

function measureBacklog(
  deps: Pick<AppDeps, 'database' | 'queue'>,
  timeoutMs: number,
): Promise<ReadinessReport['backlog']> {
  const last = lastBacklog.get(deps.queue)
  if (last && Date.now() - last.at < BACKLOG_KEPT_MS) return last.backlog
  const backlog = Promise.allSettled([
    withTimeout(outboxBacklog(deps.database.db), timeoutMs, 'the database'),
    withTimeout(deps.queue.counts(), timeoutMs, 'the queue'),
  ]).then(([outbox, queue]) => ({
    ...(outbox.status === 'fulfilled' ? { outbox: outbox.value } : {}),
    ...(queue.status === 'fulfilled' ? { queue: queue.value } : {}),
  }))
  lastBacklog.set(deps.queue, { at: Date.now(), backlog })
  return backlog
}

/** Runs every dependency's check in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(
  deps: Pick<AppDeps, 'database' | 'redis' | 'queue'>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const parts: Record<string, () => Promise<unknown>> = { database: () => deps.database.ping() }
  if (deps.redis) {
    const redis = deps.redis
    parts.redis = () => redis.ping()
  }
  // The backlog is reported, not judged: a long queue is no reason to take the process out of rotation.
  const measured = measureBacklog(deps, timeoutMs)
  const entries = await Promise.all(
    Object.entries(parts).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs, name)
        return [name, 'ok'] as const
      } catch (error) {
        return [name, reason(error)] as const
      }
    }),
  )
  const backlog = await measured
  const failing = entries.filter(([, result]) => result !== 'ok').map(([name]) => name)
  return {
    status: failing.length === 0 ? 'ok' : 'unavailable',
    failing,
    checks: Object.fromEntries(entries),
    backlog,
  }
}
