// node-postgres' pool, also counting the checkouts that found every connection busy and how long they
// waited: the sign that DATABASE_POOL_SIZE (or the server behind it) is too small. Cheap: a checkout
// that does not wait costs two reads of the pool's counts.
import pg from 'pg'

export type PoolStats = {
  /** Connections open, busy or idle. */
  total: number
  idle: number
  /** Checkouts queued for a connection right now. */
  waiting: number
  /** Checkouts that had to queue, since the pool opened, and their summed wait. */
  waits: number
  waitSeconds: number
}

type Checkout = Parameters<pg.Pool['connect']>[0] & {}

export class MeasuredPool extends pg.Pool {
  private waits = 0
  private waitSeconds = 0

  override connect(): Promise<pg.PoolClient>
  override connect(callback: Checkout): void
  override connect(callback?: Checkout): Promise<pg.PoolClient> | undefined {
    // The pool queues a checkout when no connection is idle and it may not open another.
    const queued = this.idleCount === 0 && this.totalCount >= (this.options.max ?? 10)
    const started = queued ? performance.now() : 0
    if (!callback) return queued ? super.connect().finally(() => this.waited(started)) : super.connect()
    super.connect(
      queued
        ? (error, client, done) => {
            this.waited(started)
            callback(error, client, done)
          }
        : callback,
    )
    return undefined
  }

  private waited(started: number): void {
    this.waits++
    this.waitSeconds += (performance.now() - started) / 1000
  }

  stats(): PoolStats {
    return {
      total: this.totalCount,
      idle: this.idleCount,
      waiting: this.waitingCount,
      waits: this.waits,
      waitSeconds: this.waitSeconds,
    }
  }
}
