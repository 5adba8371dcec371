import type { AppDeps } from '../../app.js'
import type { JobCounts } from '../../platform/jobs/queue.js'
import { type OutboxBacklog, outboxBacklog } from '../outbox/backlog.js'

export type ReadinessReport = {
  status: 'ok' | 'unavailable'
  failing: string[]
  checks: Record<string, string>
  /** Work waiting: unsent emails and the queue's counts (absent for a part that did not answer). */
  backlog: { outbox?: OutboxBacklog; queue?: JobCounts }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  return code ? `unreachable (${code})` : (message ?? 'failed')
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
  const backlog: ReadinessReport['backlog'] = {}
  // The backlog is reported, not judged: a long queue is no reason to take the process out of rotation.
  const measured = Promise.allSettled([
    withTimeout(outboxBacklog(deps.database.db), timeoutMs).then((outbox) => {
      backlog.outbox = outbox
    }),
    withTimeout(deps.queue.counts(), timeoutMs).then((queue) => {
      backlog.queue = queue
    }),
  ])
  const entries = await Promise.all(
    Object.entries(parts).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs)
        return [name, 'ok'] as const
      } catch (error) {
        return [name, reason(error)] as const
      }
    }),
  )
  await measured
  const failing = entries.filter(([, result]) => result !== 'ok').map(([name]) => name)
  return {
    status: failing.length === 0 ? 'ok' : 'unavailable',
    failing,
    checks: Object.fromEntries(entries),
    backlog,
  }
}
