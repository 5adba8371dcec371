// The catalog's rules: who sees which sessions, who may change them, and the list with its filters,
// trigram search and keyset pagination.
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Cache } from '../../platform/cache.js'
import type { Clock } from '../../platform/clock.js'
import { EXACT_COUNT_LIMIT, listTotal } from '../../platform/db/count.js'
import { isDataException } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import {
  literalInteger,
  placeholders,
  preparedOn,
  preparedShapes,
  type ValueOf,
  valuesFrom,
} from '../../platform/db/prepared.js'
import { badRequest, notFound, permissionDenied } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { moneyText } from '../../platform/http/inputs.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import type { BusinessContext } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { users } from '../accounts/tables.js'
import { type Actor, changedFields, creationChanges, recordAudit } from '../audit/service.js'
import { businesses } from '../businesses/tables.js'
import { ensureCapacityFits } from './capacity.js'
import { sessions } from './tables.js'

/** `cacheTtlMs` 0 turns the public cache off. */
export type CatalogDeps = { db: Database; clock: Clock; cache: Cache; cacheTtlMs: number }

/** The cache namespace of public catalog answers; every write to a session drops it. */
export const CATALOG_CACHE = 'catalog'

export type SessionInput = {
  title?: string
  description?: string
  duration?: number
  price?: string | number
  max_participants?: number
  image_url?: string
  status?: 'active' | 'inactive'
}

export type SessionFilters = {
  search?: string
  status?: 'active' | 'inactive'
  creator?: string
  business?: string
  min_price?: string | number
  max_price?: string | number
  min_duration?: number
  max_duration?: number
  ordering?: string
}

const STAFF_ROLES = new Set(['owner', 'admin', 'manager', 'platform_admin'])

const columns = {
  session: sessions,
  business: {
    id: businesses.id,
    name: businesses.name,
    slug: businesses.slug,
    isActive: businesses.isActive,
  },
  creator: {
    id: users.id,
    username: users.username,
    firstName: users.firstName,
    lastName: users.lastName,
    avatar: users.avatar,
  },
}

type SessionJoined = {
  session: typeof sessions.$inferSelect
  business: { id: string; name: string; slug: string; isActive: boolean }
  creator: { id: string; username: string; firstName: string; lastName: string; avatar: string }
}

export function sessionOut({ session, business, creator }: SessionJoined) {
  return {
    id: session.id,
    business: { id: business.id, name: business.name, slug: business.slug },
    creator: {
      id: creator.id,
      username: creator.username,
      first_name: creator.firstName,
      last_name: creator.lastName,
      avatar: creator.avatar,
    },
    title: session.title,
    description: session.description,
    duration: session.duration,
    price: moneyText(session.price),
    max_participants: session.maxParticipants,
    image_url: session.imageUrl,
    status: session.status,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`)
}

/**
 * What a caller may see: active sessions of active businesses, plus every session of the business
 * they are staff of (the value `staff_of`, when `staff`).
 */
function visible(staff: boolean, value: ValueOf): SQL {
  const live = sql`not ${sessions.isDeleted} and not ${businesses.isDeleted}`
  const open = sql`${sessions.status} = 'active' and ${businesses.isActive}`
  return staff
    ? sql`${live} and (${open} or ${sessions.businessId} = ${value('staff_of')})`
    : sql`${live} and ${open}`
}

const FILTERS = [
  'search',
  'status',
  'creator',
  'business',
  'min_price',
  'max_price',
  'min_duration',
  'max_duration',
] as const

/** The filter values a query binds: `search` as its LIKE pattern, `business` as an id or a slug. */
function filterValues(filters: SessionFilters): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const name of FILTERS) if (filters[name] !== undefined) values[name] = filters[name]
  if (filters.search) values.search = `%${escapeLike(filters.search)}%`
  if (filters.min_price !== undefined) values.min_price = String(filters.min_price)
  if (filters.max_price !== undefined) values.max_price = String(filters.max_price)
  if (filters.business !== undefined) {
    delete values.business
    values[isUuid(filters.business) ? 'business_id' : 'business_slug'] = filters.business
  }
  return values
}

/** Conditions for the filters in `present` (names as filterValues gives them). */
export function filterConditions(present: ReadonlySet<string>, value: ValueOf): SQL[] {
  const conditions: SQL[] = []
  if (present.has('search'))
    conditions.push(
      sql`(${sessions.title} ilike ${value('search')} or ${sessions.description} ilike ${value('search')})`,
    )
  if (present.has('status')) conditions.push(sql`${sessions.status} = ${value('status')}`)
  if (present.has('creator')) conditions.push(sql`${sessions.creatorId} = ${value('creator')}`)
  if (present.has('business_id')) conditions.push(sql`${sessions.businessId} = ${value('business_id')}`)
  if (present.has('business_slug')) conditions.push(sql`${businesses.slug} = ${value('business_slug')}`)
  if (present.has('min_price')) conditions.push(sql`${sessions.price} >= ${value('min_price')}::numeric`)
  if (present.has('max_price')) conditions.push(sql`${sessions.price} <= ${value('max_price')}::numeric`)
  if (present.has('min_duration')) conditions.push(sql`${sessions.duration} >= ${value('min_duration')}`)
  if (present.has('max_duration')) conditions.push(sql`${sessions.duration} <= ${value('max_duration')}`)
  return conditions
}

/** The filters of an export, applied with their values. */
export function exportConditions(filters: SessionFilters): SQL[] {
  const values = filterValues(filters)
  return filterConditions(new Set(Object.keys(values)), valuesFrom(values))
}

const ORDER_COLUMNS = {
  created_at: { column: sessions.createdAt, cast: sql`timestamptz` },
  price: { column: sessions.price, cast: sql`numeric` },
  duration: { column: sessions.duration, cast: sql`integer` },
  title: { column: sessions.title, cast: sql`text` },
} as const

type ListedSession = SessionJoined & { sortKey: string }
const listPages = preparedShapes<{ execute(values: Record<string, unknown>): Promise<ListedSession[]> }>()
const listCounts = preparedShapes<{ execute(values: Record<string, unknown>): Promise<{ n: number }[]> }>()

/**
 * A page of the catalog. The page and count queries are prepared per shape (caller's standing,
 * ordering, filters present, first page or after a cursor): the public list is the busiest read.
 */
export async function listSessions(
  deps: CatalogDeps,
  staffOf: string | null,
  filters: SessionFilters,
  page: PageRequest,
) {
  const db = deps.db
  const ordering = filters.ordering ?? '-created_at'
  const descending = ordering.startsWith('-')
  const { column, cast } = ORDER_COLUMNS[ordering.replace(/^-/, '') as keyof typeof ORDER_COLUMNS]
  const after = page.kind === 'cursor' ? page.after : null
  // A cursor is client input: [sort key, id]. One that does not fit the ordering is a 400, not a 500.
  if (after && (after.length !== 2 || typeof after[1] !== 'string' || !isUuid(after[1])))
    throw badRequest('Invalid cursor.')
  const bound = filterValues(filters)
  const present = new Set(Object.keys(bound))
  const filterShape = `${staffOf ? 'staff' : 'public'}:${[...present].sort().join(',')}`
  const offset = page.kind === 'page' ? page.offset : 0
  const position = after ? 'after' : offset > 0 ? 'offset' : 'first'
  const values = {
    ...bound,
    staff_of: staffOf,
    offset,
    ...(after && { after_key: after[0], after_id: after[1] }),
  }
  const where = (value: ValueOf) => and(visible(Boolean(staffOf), value), ...filterConditions(present, value))
  const keyset = () => {
    const position = sql`(${sql.placeholder('after_key')}::${cast}, ${sql.placeholder('after_id')}::uuid)`
    return descending
      ? sql`(${column}, ${sessions.id}) < ${position}`
      : sql`(${column}, ${sessions.id}) > ${position}`
  }
  const direction = descending ? desc : asc
  const rows = await listPages(
    db,
    `sessions_page:${filterShape}:${ordering}:${position}:${page.limit}`,
    (name) =>
      db
        .select({ ...columns, sortKey: sql<string>`${column}::text` })
        .from(sessions)
        .innerJoin(businesses, eq(businesses.id, sessions.businessId))
        .innerJoin(users, eq(users.id, sessions.creatorId))
        .where(and(where(placeholders), after ? keyset() : undefined))
        .orderBy(direction(column), direction(sessions.id))
        .limit(literalInteger(page.limit))
        .offset(position === 'offset' ? sql.placeholder('offset') : 0)
        .prepare(name),
    // How selective a substring is decides the plan: a trigram index for a rare one, the ordering's
    // index for a common one. A generic plan would scan every row for a rare word (200 ms here).
    { plannedEachTime: present.has('search') },
  )
    .execute(values)
    .catch((error: unknown) => {
      // The cursor's sort key does not cast to the column's type.
      if (after && isDataException(error)) throw badRequest('Invalid cursor.')
      throw error
    })
  const fromWhere = (value: ValueOf) =>
    sql`from ${sessions} inner join ${businesses} on ${businesses.id} = ${sessions.businessId} where ${where(value)}`
  // A cursor page continues a list whose first page gave the total: it costs no count.
  const total = after
    ? null
    : await listTotal(db, {
        key: `sessions:${filterShape}:${JSON.stringify([staffOf, bound])}`,
        fromWhere: () => fromWhere(valuesFrom(values)),
        exact: async () => {
          const [counted] = await listCounts(
            db,
            `sessions_count:${filterShape}`,
            (name) =>
              db
                .select({ n: sql<number>`count(*)::int` })
                .from(
                  sql`(select 1 ${fromWhere(placeholders)} limit ${literalInteger(EXACT_COUNT_LIMIT + 1)}) as capped`,
                )
                .prepare(name),
            { plannedEachTime: present.has('search') },
          ).execute(values)
          return counted?.n ?? 0
        },
      })
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.sortKey, last.session.id] : null
  return { rows: shown, fetched: rows.length, lastPosition, total }
}

const sessionById = preparedOn('session_by_id', (db, name) =>
  db
    .select(columns)
    .from(sessions)
    .innerJoin(businesses, eq(businesses.id, sessions.businessId))
    .innerJoin(users, eq(users.id, sessions.creatorId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('id')),
        sql`not ${sessions.isDeleted}`,
        sql`not ${businesses.isDeleted}`,
      ),
    )
    .prepare(name),
)

async function loadSession(db: Database, id: string): Promise<SessionJoined | undefined> {
  const [row] = await sessionById(db).execute({ id })
  return row
}

/** The session if the caller may see it (404 otherwise). */
export async function visibleSession(
  deps: CatalogDeps,
  id: string,
  staffOf: (businessId: string) => Promise<boolean>,
) {
  const row = await loadSession(deps.db, id)
  if (!row) throw notFound()
  const open = row.session.status === 'active' && row.business.isActive
  if (!open && !(await staffOf(row.session.businessId))) throw notFound()
  return row
}

/**
 * Owners, admins and managers of the session's business (and platform admins) may change it, by their
 * current standing there. Having created it gives no right of its own: a creator removed from the
 * business, or demoted to agent, keeps none over the sessions they made.
 */
export function ensureCanChange(standing: BusinessContext | null) {
  if (!(standing && STAFF_ROLES.has(standing.role))) throw permissionDenied()
}

/**
 * Owners, admins and managers add sessions to their business. A creator owns the business their
 * registration made, so this covers "creators" too, without letting a creator who is only an agent
 * somewhere add sessions there.
 */
export function ensureCanCreate(context: BusinessContext | null): BusinessContext {
  if (!context) throw permissionDenied('You need a business to create sessions.')
  if (!STAFF_ROLES.has(context.role)) throw permissionDenied()
  return context
}

function values(input: SessionInput) {
  return {
    ...(input.title !== undefined && { title: input.title }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.duration !== undefined && { duration: input.duration }),
    ...(input.price !== undefined && { price: moneyText(input.price) }),
    ...(input.max_participants !== undefined && { maxParticipants: input.max_participants }),
    ...(input.image_url !== undefined && { imageUrl: input.image_url }),
    ...(input.status !== undefined && { status: input.status }),
  }
}

function auditable(row: typeof sessions.$inferSelect) {
  return {
    title: row.title,
    description: row.description,
    duration: row.duration,
    price: moneyText(row.price),
    max_participants: row.maxParticipants,
    image_url: row.imageUrl,
    status: row.status,
  }
}

export async function createSessionIn(
  tx: Database,
  deps: CatalogDeps,
  context: BusinessContext,
  creatorId: string,
  input: Required<Pick<SessionInput, 'title' | 'duration' | 'price' | 'max_participants'>> & SessionInput,
  actor: Actor,
) {
  const now = deps.clock.now()
  const [created] = await tx
    .insert(sessions)
    .values({
      businessId: context.businessId,
      creatorId,
      title: input.title,
      duration: input.duration,
      price: moneyText(input.price),
      maxParticipants: input.max_participants,
      ...values(input),
      createdBy: actor.userId,
      updatedBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
  if (!created) throw new Error('insert returned no row')
  await recordAudit(
    tx,
    {
      actor,
      businessId: context.businessId,
      action: 'create',
      entity: 'session',
      entityId: created.id,
      changes: creationChanges(auditable(created)),
    },
    now,
  )
  return created
}

export async function createSession(
  deps: CatalogDeps,
  user: Principal,
  context: BusinessContext | null,
  input: Parameters<typeof createSessionIn>[4],
  actor: Actor,
) {
  const business = ensureCanCreate(context)
  const created = await deps.db.transaction((tx) =>
    createSessionIn(tx, deps, business, user.id, input, actor),
  )
  const row = await loadSession(deps.db, created.id)
  if (!row) throw notFound()
  return row
}

export async function updateSessionIn(
  tx: Database,
  deps: CatalogDeps,
  id: string,
  input: SessionInput,
  actor: Actor,
) {
  const now = deps.clock.now()
  const [before] = await tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), sql`not ${sessions.isDeleted}`))
    .for('update')
  if (!before) throw notFound()
  // After the lock, in a statement of its own: see capacity.ts.
  if (input.max_participants !== undefined) await ensureCapacityFits(tx, id, input.max_participants, now)
  const [after] = await tx
    .update(sessions)
    .set({ ...values(input), updatedBy: actor.userId, updatedAt: now })
    .where(eq(sessions.id, id))
    .returning()
  if (!after) throw notFound()
  await recordAudit(
    tx,
    {
      actor,
      businessId: before.businessId,
      action: 'update',
      entity: 'session',
      entityId: id,
      changes: changedFields(auditable(before), auditable(after)),
    },
    now,
  )
  return after
}

export async function deleteSessionIn(tx: Database, deps: CatalogDeps, id: string, actor: Actor) {
  const now = deps.clock.now()
  const [deleted] = await tx
    .update(sessions)
    .set({
      isDeleted: true,
      deletedAt: now,
      deletedBy: actor.userId,
      updatedAt: now,
      updatedBy: actor.userId,
    })
    .where(and(eq(sessions.id, id), sql`not ${sessions.isDeleted}`))
    .returning({ businessId: sessions.businessId })
  if (!deleted) throw notFound()
  await recordAudit(
    tx,
    { actor, businessId: deleted.businessId, action: 'delete', entity: 'session', entityId: id, changes: {} },
    now,
  )
}

export async function reloadSession(deps: CatalogDeps, id: string) {
  const row = await loadSession(deps.db, id)
  if (!row) throw notFound()
  return row
}

export type ExportedSession = SessionJoined & { sortKey: string }

/**
 * One keyset batch of an export: the sessions of `businessId` (every business when null), newest
 * first, after `after`.
 */
export async function exportSessionBatch(
  deps: CatalogDeps,
  businessId: string | null,
  filters: SessionFilters,
  after: ExportedSession | null,
  limit: number,
): Promise<ExportedSession[]> {
  return deps.db
    .select({ ...columns, sortKey: sql<string>`${sessions.createdAt}::text` })
    .from(sessions)
    .innerJoin(businesses, eq(businesses.id, sessions.businessId))
    .innerJoin(users, eq(users.id, sessions.creatorId))
    .where(
      and(
        sql`not ${sessions.isDeleted} and not ${businesses.isDeleted}`,
        businessId ? eq(sessions.businessId, businessId) : undefined,
        after
          ? sql`(${sessions.createdAt}, ${sessions.id}) < (${after.sortKey}::timestamptz, ${after.session.id}::uuid)`
          : undefined,
        ...exportConditions(filters),
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit)
}
