// POST /api/sessions/bulk/: creates, updates and deletes in one transaction. Everything applies or
// nothing does; a failure answers 400 with errors keyed by the failing item (`update[0].id`), every
// failing item in one answer: the body's shape errors together with unknown, foreign or doubled ids.
import { inArray } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { type FieldErrors, validationFailed } from '../../platform/errors.js'
import { type BusinessContext, scoped } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import type { Actor } from '../audit/service.js'
import type { Caller } from '../businesses/access.js'
import { dropCachedAnswers } from './cache.js'
import { capacityBelowSeats, seatsTaken, seatsTakenMessage } from './capacity.js'
import { businessToCreateIn } from './policy.js'
import { loadSession } from './queries.js'
import { scheduleErrors } from './schedule.js'
import type { CatalogDeps } from './service.js'
import { sessions } from './tables.js'
import {
  createSessionIn,
  deleteSessionIn,
  type NewSession,
  type SessionInput,
  updateSessionIn,
} from './writes.js'

export type BulkInput = {
  create?: NewSession[]
  update?: (SessionInput & { id: string })[]
  delete?: string[]
}

/**
 * A bulk body as the route received it: valid (so typed), or with the shape errors its validation
 * found, in which case nothing is applied but its ids are still looked up for the same answer.
 */
export type BulkRequest = { body: BulkInput; shapeErrors: null } | { body: unknown; shapeErrors: FieldErrors }

/** `body[key]` when it is a list, whatever else the body is. */
function listIn(body: unknown, key: 'update' | 'delete'): unknown[] {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined
  return Array.isArray(value) ? value : []
}

/** The session ids a body names, by position; null where an entry is no UUID (a shape error already). */
function namedIds(body: unknown) {
  const uuidOrNull = (value: unknown) => (typeof value === 'string' && isUuid(value) ? value : null)
  const idOf = (item: unknown) =>
    typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined
  return {
    updates: listIn(body, 'update').map((item) => uuidOrNull(idOf(item))),
    deletes: listIn(body, 'delete').map(uuidOrNull),
  }
}

/** Errors of ids that are no session of the business (not in `present`), or updated and deleted at once. */
function idErrors(named: ReturnType<typeof namedIds>, present: ReadonlySet<string>): FieldErrors {
  const errors: FieldErrors = {}
  const missing = () => ['No such session in this business.']
  named.updates.forEach((id, index) => {
    if (id && !present.has(id)) errors[`update[${index}].id`] = missing()
  })
  named.deletes.forEach((id, index) => {
    if (!id) return
    if (!present.has(id)) errors[`delete[${index}]`] = missing()
    else if (named.updates.includes(id))
      errors[`delete[${index}]`] = ['This session is also updated in the same request.']
  })
  return errors
}

/** The schedule rules the shape cannot say, for every create and update item that has a schedule. */
function scheduleItemErrors(body: BulkInput): FieldErrors {
  const items = [
    ...(body.create ?? []).map((item, index) => ({ item, field: `create[${index}].schedule` })),
    ...(body.update ?? []).map((item, index) => ({ item, field: `update[${index}].schedule` })),
  ]
  return Object.assign(
    {},
    ...items.map(({ item, field }) => (item.schedule ? scheduleErrors(item.schedule, field) : null) ?? {}),
  )
}

/**
 * Refuses (409) the whole request when an update lowers a session's capacity below the seats taken in
 * one of its future slots, naming every such item at once (updateSessionIn would stop at the first).
 * The sessions are locked already, by an earlier statement (see capacity.ts).
 */
async function ensureCapacitiesFit(
  tx: Database,
  updates: { id: string; max_participants?: number }[],
  now: Date,
) {
  const resized = updates.filter((item) => item.max_participants !== undefined)
  const taken = await seatsTaken(tx, [...new Set(resized.map((item) => item.id))], now)
  const errors: FieldErrors = {}
  updates.forEach(({ id, max_participants: capacity }, index) => {
    const seats = taken.get(id) ?? 0
    if (capacity !== undefined && seats > capacity)
      errors[`update[${index}].max_participants`] = [seatsTakenMessage(seats)]
  })
  if (Object.keys(errors).length > 0) throw capacityBelowSeats(errors)
}

/** Applies a bulk request in `context`'s business; sessions of other businesses count as missing. */
async function applyBulk(
  deps: CatalogDeps,
  context: BusinessContext,
  creatorId: string,
  request: BulkRequest,
  actor: Actor,
) {
  const named = namedIds(request.body)
  return deps.db.transaction(async (tx) => {
    // Lock every session the request names, then check they all belong to the business.
    const ids = [...new Set([...named.updates, ...named.deletes].filter((id) => id !== null))]
    const found =
      ids.length === 0
        ? []
        : await tx
            .select({ id: sessions.id })
            .from(sessions)
            .where(scoped(sessions, context, inArray(sessions.id, ids)))
            .for('update')
    const errors = {
      ...request.shapeErrors,
      ...idErrors(named, new Set(found.map((row) => row.id))),
      ...(request.shapeErrors === null && scheduleItemErrors(request.body)),
    }
    if (request.shapeErrors !== null || Object.keys(errors).length > 0) throw validationFailed(errors)

    const { create = [], update = [], delete: deletes = [] } = request.body
    await ensureCapacitiesFit(tx, update, deps.clock.now())
    const created = []
    for (const item of create)
      created.push((await createSessionIn(tx, deps.clock, context, creatorId, item, actor)).id)
    const updated = []
    for (const { id, ...fields } of update)
      updated.push((await updateSessionIn(tx, deps.clock, id, fields, actor)).id)
    for (const id of deletes) await deleteSessionIn(tx, deps.clock, id, actor)
    return { created, updated, deleted: deletes }
  })
}

/** A bulk request in the caller's business, and the sessions it created and updated as they now are. */
export async function bulkChange(deps: CatalogDeps, caller: Caller, request: BulkRequest, actor: Actor) {
  const context = await businessToCreateIn(deps.db, caller)
  const result = await applyBulk(deps, context, caller.user.id, request, actor)
  await dropCachedAnswers(deps)
  const reload = (ids: string[]) => Promise.all(ids.map((id) => loadSession(deps.db, id)))
  return {
    created: await reload(result.created),
    updated: await reload(result.updated),
    deleted: result.deleted,
  }
}
