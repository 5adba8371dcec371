// One transaction around a whole request, for the requests that need their effect and a record of it
// to commit together (an Idempotency-Key's kept answer). Services take `db` at start-up and know
// nothing of requests, so the handle every module holds is a view (`requestScoped`): inside such a
// request it is that request's transaction, everywhere else the database itself. A service's own
// `db.transaction()` then becomes a savepoint inside the request's transaction.
//
// What a change tells other processes or caches (a broadcast, a cache invalidation) must wait for the
// commit, or they would re-read the old rows: `afterCommit` defers it while a request transaction is
// open and runs it at once otherwise.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Database } from './database.js'

type RequestScope = { tx: Database; afterCommit: (() => unknown)[] }

const scope = new AsyncLocalStorage<RequestScope>()

/** `db` as seen from the current request: its transaction when it runs in one, else `db` itself. */
export function requestScoped(db: Database): Database {
  return new Proxy(db, {
    get: (target, property) => Reflect.get(scope.getStore()?.tx ?? target, property),
  })
}

export const inRequestTransaction = (): boolean => scope.getStore() !== undefined

/**
 * Runs `effect` once the current request transaction commits (never if it rolls back), or now; the
 * promise settles with it when it runs now.
 */
export async function afterCommit(effect: () => unknown): Promise<void> {
  const current = scope.getStore()
  if (current) current.afterCommit.push(effect)
  else await effect()
}

export type RequestTransaction = {
  tx: Database
  /** Runs `work` with every `requestScoped` handle on this transaction. */
  run<T>(work: () => T): T
  /** Commits, then runs what waited for the commit. */
  commit(): Promise<void>
  rollback(): Promise<void>
  readonly open: boolean
}

class Rollback extends Error {}

/**
 * Opens a transaction on `root` (the database itself, not a scoped view) that stays open until
 * `commit()` or `rollback()`: across a request's handler and its reply.
 */
export async function openRequestTransaction(root: Database): Promise<RequestTransaction> {
  let finish!: (commit: boolean) => void
  const decided = new Promise<boolean>((resolve) => {
    finish = resolve
  })
  let ready!: (tx: Database) => void
  const started = new Promise<Database>((resolve) => {
    ready = resolve
  })
  const done = root
    .transaction(async (tx) => {
      ready(tx)
      if (!(await decided)) throw new Rollback()
    })
    .then(
      () => true,
      (error) => {
        if (error instanceof Rollback) return false
        throw error
      },
    )
  // A transaction that fails to begin rejects `done` before `started` resolves.
  const tx = await Promise.race([started, done.then(() => Promise.reject(new Error('transaction ended')))])
  const state: RequestScope = { tx, afterCommit: [] }
  let open = true
  const end = async (commit: boolean) => {
    if (!open) return
    open = false
    finish(commit)
    if (!((await done) && commit)) return
    // Every effect runs even when one fails; the first failure is then the commit's.
    const failures = (await Promise.allSettled(state.afterCommit.map((effect) => effect()))).filter(
      (result) => result.status === 'rejected',
    )
    if (failures[0]) throw failures[0].reason
  }
  return {
    tx,
    run: (work) => scope.run(state, work),
    commit: () => end(true),
    rollback: () => end(false),
    get open() {
      return open
    },
  }
}
