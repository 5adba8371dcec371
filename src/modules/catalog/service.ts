// The catalog's services: the list and a session as the public and a business's people see them
// (public answers through the cache), and a session's creation, change and deletion. Each starts with
// its access check (policy.ts); every write drops the cached answers.
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import type { Actor } from '../audit/service.js'
import type { Caller } from '../businesses/access.js'
import { type AnswerCacheDeps, cachedAnswer, dropCachedAnswers } from './cache.js'
import type { SessionFilters } from './filters.js'
import { listSessions, type SessionPage } from './lists.js'
import { businessToCreateIn, changeableSession, isOpen, staffBusiness, visibleSession } from './policy.js'
import { loadSession, type SessionJoined } from './queries.js'
import { ensureValidSchedule } from './schedule.js'
import {
  createSessionIn,
  deleteSessionIn,
  type NewSession,
  type SessionInput,
  updateSessionIn,
} from './writes.js'

export type CatalogDeps = { db: Database; clock: Clock } & AnswerCacheDeps

/**
 * A page of the catalog as `answer.render` serializes it. X-Business-ID of a business the caller
 * stands in adds its inactive sessions; otherwise the header is ignored.
 */
export async function catalogPage(
  deps: CatalogDeps,
  viewer: Caller | null,
  filters: SessionFilters,
  page: PageRequest,
  answer: { url: string; render: (page: SessionPage) => string },
): Promise<string> {
  const staffOf = await staffBusiness(deps.db, viewer)
  const render = async () => answer.render(await listSessions(deps.db, staffOf, filters, page))
  if (staffOf) return render()
  // The public answer is the same for every caller: cached by full URL, since its links are absolute.
  return cachedAnswer(deps, `list:${answer.url}`, async () => ({ body: await render(), public: true }))
}

/** One session as `render` serializes it, when the viewer may see it (404 otherwise). */
export async function sessionDetail(
  deps: CatalogDeps,
  viewer: Caller | null,
  id: string,
  render: (row: SessionJoined) => string,
): Promise<string> {
  // Only an open session's answer is stored, and everybody may see one: the check runs on a miss.
  return cachedAnswer(deps, `detail:${id}`, async () => {
    const row = await visibleSession(deps.db, viewer?.user ?? null, id)
    return { body: render(row), public: isOpen(row) }
  })
}

export async function createSession(
  deps: CatalogDeps,
  caller: Caller,
  input: NewSession,
  actor: Actor,
): Promise<SessionJoined> {
  const business = await businessToCreateIn(deps.db, caller)
  ensureValidSchedule(input)
  const created = await deps.db.transaction((tx) =>
    createSessionIn(tx, deps.clock, business, caller.user.id, input, actor),
  )
  await dropCachedAnswers(deps)
  return loadSession(deps.db, created.id)
}

export async function updateSession(
  deps: CatalogDeps,
  caller: Caller,
  id: string,
  input: SessionInput,
  actor: Actor,
): Promise<SessionJoined> {
  await changeableSession(deps.db, caller.user, id)
  ensureValidSchedule(input)
  await deps.db.transaction((tx) => updateSessionIn(tx, deps.clock, id, input, actor))
  await dropCachedAnswers(deps)
  return loadSession(deps.db, id)
}

export async function deleteSession(deps: CatalogDeps, caller: Caller, id: string, actor: Actor) {
  await changeableSession(deps.db, caller.user, id)
  await deps.db.transaction((tx) => deleteSessionIn(tx, deps.clock, id, actor))
  await dropCachedAnswers(deps)
}
