// Requests whose handlers are still running. A client that hangs up mid-request closes its connection,
// so the HTTP server's close() stops waiting for it while the handler may still be querying: closing
// the app waits for these before it closes the database (without it, a bench's last requests ended in
// "Cannot use a pool after calling end on the pool").
import type { FastifyInstance, FastifyRequest } from 'fastify'

export type InFlight = {
  readonly count: number
  /** Resolves when no handler runs any more, or after `timeoutMs`; true when drained. */
  drained(timeoutMs: number): Promise<boolean>
  /** Ends every wait, now and later (the shutdown deadline passed). */
  abandon(): void
}

export function trackInFlight(app: FastifyInstance): InFlight {
  const running = new WeakSet<FastifyRequest>()
  let count = 0
  let abandoned = false
  let waiters: ((drained: boolean) => void)[] = []
  app.addHook('onRequest', async (request) => {
    running.add(request)
    count++
  })
  // onSend runs once the handler (or the error handler) has its answer, also for an aborted request.
  app.addHook('onSend', async (request) => {
    if (!running.delete(request)) return
    count--
    if (count === 0) for (const wake of waiters.splice(0)) wake(true)
  })
  return {
    get count() {
      return count
    },
    drained(timeoutMs) {
      if (count === 0 || abandoned) return Promise.resolve(count === 0)
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== wake)
          resolve(false)
        }, timeoutMs)
        const wake = (drained: boolean) => {
          clearTimeout(timer)
          resolve(drained)
        }
        waiters.push(wake)
      })
    },
    abandon() {
      abandoned = true
      for (const wake of waiters.splice(0)) wake(false)
    },
  }
}
