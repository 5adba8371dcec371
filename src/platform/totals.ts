// Running totals of what the service did (bookings and reservations made, emails sent or failed), for
// /metrics. They happen in different processes: web processes make bookings, `npm run worker` sends the
// emails, so a counter kept in the web process would never see an email. With REDIS_URL every process
// adds to one Redis hash and a scrape reads it whole; without Redis the web process does all the work
// and its totals stay in memory. Counting rows at scrape time was the other way: sent outbox rows are
// swept and bookings deleted, so such a total could go down, and count(*) grows with the table.
import type { Redis } from './redis.js'

export type TotalName = 'bookings_created' | 'reservations_created' | 'emails_sent' | 'emails_failed'

export const TOTAL_NAMES: readonly TotalName[] = [
  'bookings_created',
  'reservations_created',
  'emails_sent',
  'emails_failed',
]

export interface Totals {
  /** True when every process adds to and reads the same totals (Redis); false: this process's own. */
  readonly shared: boolean
  /** Adds `by` (default 1) without waiting: a lost increment while Redis is away never fails the work. */
  add(name: TotalName, by?: number): void
  read(): Promise<Record<TotalName, number>>
}

const zeros = (): Record<TotalName, number> => ({
  bookings_created: 0,
  reservations_created: 0,
  emails_sent: 0,
  emails_failed: 0,
})

export class MemoryTotals implements Totals {
  readonly shared = false
  private readonly values = zeros()

  add(name: TotalName, by = 1): void {
    this.values[name] += by
  }

  async read(): Promise<Record<TotalName, number>> {
    return { ...this.values }
  }
}

const KEY = 'metrics:totals'

export class RedisTotals implements Totals {
  readonly shared = true

  constructor(private readonly redis: Redis) {}

  add(name: TotalName, by = 1): void {
    if (by > 0) this.redis.hincrby(KEY, name, by).catch(() => {})
  }

  async read(): Promise<Record<TotalName, number>> {
    const stored = await this.redis.hgetall(KEY)
    const values = zeros()
    for (const name of TOTAL_NAMES) values[name] = Number(stored[name] ?? 0)
    return values
  }
}

/** Totals in Redis when there is a connection, else in this process. */
export function openTotals(redis: Redis | null): Totals {
  return redis ? new RedisTotals(redis) : new MemoryTotals()
}
