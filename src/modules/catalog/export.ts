// GET /api/sessions/export/: the sessions of the caller's business (every business's for a platform
// admin), with the list's filters, newest first, read in keyset batches as the stream is written.
import { and, desc, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import { ownedBy } from '../../platform/tenancy.js'
import { businessOrPlatform, type Caller } from '../businesses/access.js'
import { businesses } from '../businesses/tables.js'
import { exportConditions, type SessionFilters } from './filters.js'
import { type SessionJoined, selectJoined } from './queries.js'
import type { CatalogDeps } from './service.js'
import { sessions } from './tables.js'

export type ExportedSession = SessionJoined & { sortKey: string }

/**
 * One keyset batch of an export: the sessions of `businessId` (every business when null), newest
 * first, after `after`.
 */
async function exportSessionBatch(
  db: Database,
  businessId: string | null,
  filters: SessionFilters,
  after: ExportedSession | null,
): Promise<ExportedSession[]> {
  return selectJoined(db, { sortKey: sql<string>`${sessions.createdAt}::text` })
    .where(
      and(
        sql`not ${sessions.isDeleted} and not ${businesses.isDeleted}`,
        businessId ? ownedBy(sessions, businessId) : undefined,
        after
          ? sql`(${sessions.createdAt}, ${sessions.id}) < (${after.sortKey}::timestamptz, ${after.session.id}::uuid)`
          : undefined,
        ...exportConditions(filters),
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(EXPORT_BATCH)
}

/** The batches of an export, once the caller may make it (sessions.export). */
export async function sessionExport(deps: CatalogDeps, caller: Caller, filters: SessionFilters) {
  const businessId = await businessOrPlatform(deps.db, caller, 'sessions.export')
  return keysetBatches((after: ExportedSession | null) =>
    exportSessionBatch(deps.db, businessId, filters, after),
  )
}
