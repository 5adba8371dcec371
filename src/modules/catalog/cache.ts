// The public catalog's answer cache: serialized answers that are the same for every caller (the public
// list, the detail of an open session), all dropped at once by any write that could change one. The
// catalog's writes drop it here; a change to a business or to a creator's public name drops it through
// the app (app.ts).
import type { Cache } from '../../platform/cache.js'

/** The cache namespace of public catalog answers. */
export const CATALOG_CACHE = 'catalog'

/** `cacheTtlMs` 0 turns the cache off. */
export type AnswerCacheDeps = { cache: Cache; cacheTtlMs: number }

/** A serialized answer, and whether it is the same for every caller (only such an answer is stored). */
export type Answer = { body: string; public: boolean }

// Answers being computed, per cache, by namespace version and key. Right after a write drops the
// cache, every connection asking for the busy list would otherwise run its query at once.
const computing = new WeakMap<Cache, Map<string, Promise<Answer>>>()

/**
 * The answer stored under `key`, or the one `compute` gives (stored when public). Callers asking for
 * a key that is being computed under the same version wait for that answer, when it is public; a
 * private or failed one is theirs alone, so they compute their own.
 */
export async function cachedAnswer(
  deps: AnswerCacheDeps,
  key: string,
  compute: () => Promise<Answer>,
): Promise<string> {
  if (deps.cacheTtlMs <= 0) return (await compute()).body
  const { value, version } = await deps.cache.get(CATALOG_CACHE, key)
  if (value) return value
  let running = computing.get(deps.cache)
  if (!running) {
    running = new Map()
    computing.set(deps.cache, running)
  }
  const slot = `${version}\u0000${key}`
  const shared = running.get(slot)
  if (shared) {
    const answer = await shared.catch(() => null)
    return answer?.public ? answer.body : (await compute()).body
  }
  const pending = compute()
  running.set(slot, pending)
  try {
    const answer = await pending
    if (answer.public) await deps.cache.set(CATALOG_CACHE, version, key, answer.body, deps.cacheTtlMs)
    return answer.body
  } finally {
    running.delete(slot)
  }
}

/** Drops every stored answer: after any write to a session. */
export const dropCachedAnswers = (deps: AnswerCacheDeps) => deps.cache.invalidate(CATALOG_CACHE)
