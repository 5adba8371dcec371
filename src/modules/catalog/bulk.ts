// POST /api/sessions/bulk/: creates, updates and deletes in one transaction. Everything applies or
// nothing does; a failure answers 400 with errors keyed by the failing item (`update[0].id`).
import { and, eq, inArray, sql } from 'drizzle-orm'
import { validationFailed } from '../../platform/errors.js'
import type { BusinessContext } from '../../platform/tenancy.js'
import type { Actor } from '../audit/service.js'
import {
  type CatalogDeps,
  createSessionIn,
  deleteSessionIn,
  type SessionInput,
  updateSessionIn,
} from './service.js'
import { sessions } from './tables.js'

export type BulkInput = {
  create?: (Required<Pick<SessionInput, 'title' | 'duration' | 'price' | 'max_participants'>> &
    SessionInput)[]
  update?: (SessionInput & { id: string })[]
  delete?: string[]
}

/** Applies a bulk request in `context`'s business; sessions of other businesses count as missing. */
export async function applyBulk(
  deps: CatalogDeps,
  context: BusinessContext,
  creatorId: string,
  input: BulkInput,
  actor: Actor,
) {
  const updates = input.update ?? []
  const deletes = input.delete ?? []
  return deps.db.transaction(async (tx) => {
    // Lock every session the request names, then check they all belong to the business.
    const named = [...new Set([...updates.map((item) => item.id), ...deletes])]
    const found =
      named.length === 0
        ? []
        : await tx
            .select({ id: sessions.id })
            .from(sessions)
            .where(
              and(
                inArray(sessions.id, named),
                eq(sessions.businessId, context.businessId),
                sql`not ${sessions.isDeleted}`,
              ),
            )
            .for('update')
    const present = new Set(found.map((row) => row.id))
    const errors: Record<string, string[]> = {}
    updates.forEach((item, index) => {
      if (!present.has(item.id)) errors[`update[${index}].id`] = ['No such session in this business.']
    })
    deletes.forEach((id, index) => {
      if (!present.has(id)) errors[`delete[${index}]`] = ['No such session in this business.']
    })
    const doubled = updates.map((item) => item.id).filter((id) => deletes.includes(id))
    deletes.forEach((id, index) => {
      if (doubled.includes(id))
        errors[`delete[${index}]`] = ['This session is also updated in the same request.']
    })
    if (Object.keys(errors).length > 0) throw validationFailed(errors)

    const created = []
    for (const item of input.create ?? [])
      created.push((await createSessionIn(tx, deps, context, creatorId, item, actor)).id)
    const updated = []
    for (const { id, ...fields } of updates)
      updated.push((await updateSessionIn(tx, deps, id, fields, actor)).id)
    for (const id of deletes) await deleteSessionIn(tx, deps, id, actor)
    return { created, updated, deleted: deletes }
  })
}
