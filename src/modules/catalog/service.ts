// The catalog's rules: who sees which sessions, who may change them, and the list with its filters,
// trigram search and keyset pagination.
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
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
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import type { Principal } from '../../platform/http/guards.js'
import { moneyText } from '../../platform/http/inputs.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { type BusinessContext, ownedBy } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { users } from '../accounts/tables.js'
import { type Actor, changedFields, creationChanges, recordAudit } from '../audit/service.js'
import {
  businessContext,
  businessOrPlatform,
  type Caller,
  requirePower,
  standingIn,
} from '../businesses/access.js'
import { can } from '../businesses/policy.js'
import { businesses } from '../businesses/tables.js'
import { type AnswerCacheDeps, cachedAnswer, dropCachedAnswers } from './cache.js'
import { ensureCapacityFits } from './capacity.js'
import { type SessionStatus, sessions } from './tables.js'

export type CatalogDeps = { db: Database; clock: Clock } & AnswerCacheDeps

export type SessionInput = {
  title?: string
  description?: string
  duration?: number
  price?: string | number
  max_participants?: number
  image_url?: string
  status?: SessionStatus
}

export type SessionFilters = {
  search?: string
  status?: SessionStatus
  creator?: string
  business?: string
  min_price?: string | number
  max_price?: string | number
  min_duration?: number
  max_duration?: number
  ordering?: string
}

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

export type SessionJoined = {
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
    ? sql`${live} and (${open} or ${ownedBy(sessions, value('staff_of'))})`
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
  if (present.has('business_id')) conditions.push(ownedBy(sessions, value('business_id')))
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
export type SessionPage = Awaited<ReturnType<typeof listSessions>>
const listPages = preparedShapes<{ execute(values: Record<string, unknown>): Promise<ListedSession[]> }>()
const listCounts = preparedShapes<{ execute(values: Record<string, unknown>): Promise<{ n: number }[]> }>()

/**
 * A page of the catalog. The page and count queries are prepared per shape (caller's standing,
 * ordering, filters present, first page or after a cursor): the public list is the busiest read.
 */
async function listSessions(
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

export async function reloadSession(db: Database, id: string): Promise<SessionJoined> {
  const row = await loadSession(db, id)
  if (!row) throw notFound()
  return row
}

/** Open sessions (active, of an active business) are for everybody, and so are their cached answers. */
const isOpen = (row: SessionJoined) => row.session.status === 'active' && row.business.isActive

/** Whether the user stands in the business with the power to see its inactive sessions. */
async function readsInactive(db: Database, user: Principal | null, businessId: string): Promise<boolean> {
  const standing = await standingIn(db, user, businessId)
  return Boolean(standing && can(standing, 'sessions.read'))
}

/** The session if the user may see it: an open one, or any of a business they stand in (404 otherwise). */
async function visibleSession(db: Database, user: Principal | null, id: string): Promise<SessionJoined> {
  const row = await loadSession(db, id)
  if (!row) throw notFound()
  if (!(isOpen(row) || (await readsInactive(db, user, row.session.businessId)))) throw notFound()
  return row
}

/**
 * The session, if the user may change it: 404 when they cannot even see it, 403 when only that.
 * Owners, admins and managers of the session's business (and platform admins) may change it, by their
 * current standing there. Having created it gives no right of its own: a creator removed from the
 * business, or demoted to agent, keeps none over the sessions they made.
 */
async function changeableSession(db: Database, user: Principal, id: string): Promise<SessionJoined> {
  const row = await visibleSession(db, user, id)
  requirePower(await standingIn(db, user, row.session.businessId), 'sessions.write')
  return row
}

/**
 * The business the caller adds sessions to: owners, admins and managers add sessions to their
 * business. A creator owns the business their registration made, so this covers "creators" too,
 * without letting a creator who is only an agent somewhere add sessions there.
 */
export async function businessToCreateIn(db: Database, caller: Caller): Promise<BusinessContext> {
  const context = await businessContext(db, caller)
  if (!context) throw permissionDenied('You need a business to create sessions.')
  return requirePower(context, 'sessions.write')
}

/**
 * The business whose inactive sessions the list adds: the one named by X-Business-ID when the caller
 * stands there; otherwise the header is ignored and the list is the public one.
 */
async function staffBusiness(db: Database, viewer: Caller | null): Promise<string | null> {
  if (!viewer?.business) return null
  return (await readsInactive(db, viewer.user, viewer.business)) ? viewer.business : null
}

/** A page of the catalog as `render` serializes it; the public list is answered from the cache. */
export async function catalogPage(
  deps: CatalogDeps,
  viewer: Caller | null,
  filters: SessionFilters,
  page: PageRequest,
  answer: { url: string; render: (page: SessionPage) => string },
): Promise<string> {
  const staffOf = await staffBusiness(deps.db, viewer)
  const compute = async () => ({
    body: answer.render(await listSessions(deps, staffOf, filters, page)),
    public: !staffOf,
  })
  if (staffOf) return (await compute()).body
  // The public answer is the same for every caller: cached by full URL, since its links are absolute.
  return cachedAnswer(deps, `list:${answer.url}`, compute)
}

/** One session as `render` serializes it, when the viewer may see it; open ones from the cache. */
export async function sessionDetail(
  deps: CatalogDeps,
  viewer: Caller | null,
  id: string,
  render: (row: SessionJoined) => string,
): Promise<string> {
  // A stored answer is an open session's, which everybody may see: the check runs on a miss only.
  return cachedAnswer(deps, `detail:${id}`, async () => {
    const row = await visibleSession(deps.db, viewer?.user ?? null, id)
    return { body: render(row), public: isOpen(row) }
  })
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
  caller: Caller,
  input: Parameters<typeof createSessionIn>[4],
  actor: Actor,
): Promise<SessionJoined> {
  const business = await businessToCreateIn(deps.db, caller)
  const created = await deps.db.transaction((tx) =>
    createSessionIn(tx, deps, business, caller.user.id, input, actor),
  )
  await dropCachedAnswers(deps)
  return reloadSession(deps.db, created.id)
}

export async function updateSession(
  deps: CatalogDeps,
  caller: Caller,
  id: string,
  input: SessionInput,
  actor: Actor,
): Promise<SessionJoined> {
  await changeableSession(deps.db, caller.user, id)
  await deps.db.transaction((tx) => updateSessionIn(tx, deps, id, input, actor))
  await dropCachedAnswers(deps)
  return reloadSession(deps.db, id)
}

export async function deleteSession(deps: CatalogDeps, caller: Caller, id: string, actor: Actor) {
  await changeableSession(deps.db, caller.user, id)
  await deps.db.transaction((tx) => deleteSessionIn(tx, deps, id, actor))
  await dropCachedAnswers(deps)
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

export type ExportedSession = SessionJoined & { sortKey: string }

/**
 * One keyset batch of an export: the sessions of `businessId` (every business when null), newest
 * first, after `after`.
 */
async function exportSessionBatch(
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
        businessId ? ownedBy(sessions, businessId) : undefined,
        after
          ? sql`(${sessions.createdAt}, ${sessions.id}) < (${after.sortKey}::timestamptz, ${after.session.id}::uuid)`
          : undefined,
        ...exportConditions(filters),
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit)
}

/** The sessions an export holds, in keyset batches: the caller's business's, or every one for a platform admin. */
export async function sessionExport(deps: CatalogDeps, caller: Caller, filters: SessionFilters) {
  const businessId = await businessOrPlatform(deps.db, caller, 'sessions.export')
  return keysetBatches((after: ExportedSession | null) =>
    exportSessionBatch(deps, businessId, filters, after, EXPORT_BATCH),
  )
}
