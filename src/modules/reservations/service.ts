// Reservations: a customer's appointment with a business's calendar or one of its staff over the
// half-open period [start_time, end_time). Two pending or confirmed reservations of one calendar never
// overlap: the exclusion constraint reservations_no_overlap guarantees it under any concurrency, and its
// violation (SQLSTATE 23P01) is the 409 slot_taken. The code checks everything else, every field at once.
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Clock } from '../../platform/clock.js'
import { dateRange } from '../../platform/dates.js'
import { databaseError } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import { type KeysetQuery, keysetList } from '../../platform/db/keyset.js'
import type { ValueOf } from '../../platform/db/prepared.js'
import {
  conflict,
  type FieldErrors,
  notFound,
  permissionDenied,
  validationFailed,
} from '../../platform/errors.js'
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import { scopedSql } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { type Actor, changedFields, recordAudit } from '../audit/service.js'
import {
  businessContext,
  businessOrPlatform,
  businessTimeZone,
  type Caller,
  isMember,
  requirePower,
} from '../businesses/access.js'
import { contactVisibleTo } from '../businesses/contact-visibility.js'
import { businesses } from '../businesses/tables.js'
import { requireAccess, requireSight } from '../lifecycle/access.js'
import { moveReservation } from '../lifecycle/moves.js'
import type { Movable } from '../lifecycle/service.js'
import type { Status } from '../lifecycle/status.js'
import { reservations } from './tables.js'

export type ReservationDeps = { db: Database; clock: Clock }

const MIN_LENGTH_MS = 5 * 60_000
const MAX_LENGTH_MS = 12 * 3_600_000

const slotTaken = () => conflict('slot_taken', 'This time overlaps another reservation of the same calendar.')
const notEditable = () =>
  conflict('not_editable', 'Only a pending reservation can be changed by its customer.')

const staffUsers = alias(users, 'staff')

/**
 * The columns of a reservation as `viewer` may see it: the customer's address only where allowed.
 * `viewerId` is how the statement gives the viewer's id (a placeholder in a prepared one).
 */
const columnsFor = (viewer: Principal, viewerId: unknown = viewer.id) => ({
  reservation: {
    id: reservations.id,
    businessId: reservations.businessId,
    customerId: reservations.customerId,
    staffId: reservations.staffId,
    startTime: reservations.startTime,
    endTime: reservations.endTime,
    status: reservations.status,
    notes: reservations.notes,
    createdAt: reservations.createdAt,
    updatedAt: reservations.updatedAt,
  },
  business: {
    id: businesses.id,
    name: businesses.name,
    slug: businesses.slug,
    timezone: businesses.timezone,
  },
  customer: {
    id: users.id,
    username: users.username,
    email: sql<
      string | null
    >`case when ${contactVisibleTo(viewer, reservations.customerId, viewerId)} then ${users.email} end`,
  },
  staff: { id: staffUsers.id, username: staffUsers.username },
  // The exact stored start (microseconds included), for keyset positions.
  sortKey: sql<string>`${reservations.startTime}::text`,
})

type Columns = ReturnType<typeof columnsFor>

/** Reservations with their business, customer and staff member, read in one query, as `viewer` sees them. */
const joinedReservations = (db: Database, viewer: Principal, viewerId?: unknown) =>
  db
    .select(columnsFor(viewer, viewerId))
    .from(reservations)
    .innerJoin(businesses, eq(businesses.id, reservations.businessId))
    .innerJoin(users, eq(users.id, reservations.customerId))
    .leftJoin(staffUsers, eq(staffUsers.id, reservations.staffId))

export type ReservationJoined = {
  reservation: Pick<typeof reservations.$inferSelect, keyof Columns['reservation']>
  business: { id: string; name: string; slug: string; timezone: string }
  /** `email` is null for a viewer who may not see it. */
  customer: { id: string; username: string; email: string | null }
  staff: { id: string; username: string } | null
  sortKey: string
}

export function reservationOut({ reservation, business, customer, staff }: ReservationJoined) {
  return {
    id: reservation.id,
    business: { id: business.id, name: business.name, slug: business.slug },
    // Without `email` for a viewer who may not see it (businesses/contact-visibility.ts).
    customer: {
      id: customer.id,
      username: customer.username,
      ...(customer.email !== null && { email: customer.email }),
    },
    staff: staff ? { id: staff.id, username: staff.username } : null,
    start_time: reservation.startTime.toISOString(),
    end_time: reservation.endTime.toISOString(),
    status: reservation.status,
    notes: reservation.notes,
    created_at: reservation.createdAt.toISOString(),
    updated_at: reservation.updatedAt.toISOString(),
  }
}

/** Runs a write, turning the overlap constraint's violation into 409 slot_taken. */
export async function refusingOverlap<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    const { code, constraint } = databaseError(error)
    if (code === '23P01' && constraint === 'reservations_no_overlap') throw slotTaken()
    throw error
  }
}

/**
 * An ISO 8601 instant (the route's schema has checked its shape and offset), or null with an error
 * for `field`: JavaScript would roll an impossible day such as February 30 over into March.
 */
export function readInstant(field: string, value: string, errors: FieldErrors): Date | null {
  const instant = new Date(value)
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number]
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (
    !Number.isNaN(instant.getTime()) &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day
  )
    return instant
  errors[field] = ['Enter a valid date-time with a UTC offset.']
  return null
}

/** The period rules: end after start, 5 minutes to 12 hours, and a start in the future when it is new. */
export function checkPeriod(
  start: Date | null,
  end: Date | null,
  now: Date,
  startIsNew: boolean,
  errors: FieldErrors,
): void {
  if (start && startIsNew && start.getTime() <= now.getTime()) errors.start_time = ['Must be in the future.']
  if (!start || !end) return
  const length = end.getTime() - start.getTime()
  if (length <= 0) errors.end_time = ['Must be after start_time.']
  else if (length < MIN_LENGTH_MS || length > MAX_LENGTH_MS)
    errors.end_time = ['A reservation lasts from 5 minutes to 12 hours.']
}

export async function activeUserExists(db: Database, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), sql`${users.isActive}`))
  return Boolean(row)
}

export type ReservationCreate = {
  business: string
  customer?: string
  staff?: string | null
  start_time: string
  end_time: string
  notes?: string
}

async function loadReservation(db: Database, id: string, viewer: Principal): Promise<ReservationJoined> {
  const [row] = await joinedReservations(db, viewer).where(
    and(eq(reservations.id, id), sql`not ${reservations.isDeleted}`),
  )
  if (!row) throw notFound()
  return row
}

/** How reservations move through the status machine (lifecycle/service.ts). */
export const reservationMoves: Movable<ReservationJoined> = {
  entity: 'reservation',
  load: (db, id, caller) => loadReservation(db, id, caller.user),
  facts: ({ reservation }) => ({
    businessId: reservation.businessId,
    customerId: reservation.customerId,
    status: reservation.status,
    start: reservation.startTime,
  }),
  move: (tx, { reservation }, to, actor, now) => moveReservation(tx, reservation, to, actor, now),
}

/** A reservation its customer, staff of its business or a platform admin may see; else 404. */
export async function visibleReservation(deps: ReservationDeps, caller: Caller, id: string) {
  const row = await loadReservation(deps.db, id, caller.user)
  await requireSight(deps.db, caller, 'reservation', reservationMoves.facts(row))
  return row
}

export type ReservationPatch = {
  start_time?: string
  end_time?: string
  staff?: string | null
  notes?: string
}

/**
 * Changes a reservation's times and notes (its customer, only while it is pending) or also its staff
 * member (staff of the business). The period rules apply to the resulting period; the start must be in
 * the future only when it is changed, so staff may still extend a reservation under way.
 */
export async function updateReservation(
  deps: ReservationDeps,
  caller: Caller,
  id: string,
  input: ReservationPatch,
  actor: Actor,
): Promise<ReservationJoined> {
  const { db } = deps
  const row = await loadReservation(db, id, caller.user)
  const { manages } = await requireAccess(db, caller, 'reservation', reservationMoves.facts(row))
  if (!manages && input.staff !== undefined)
    throw permissionDenied('Only staff of the business may assign staff.')
  const now = deps.clock.now()
  await refusingOverlap(() =>
    db.transaction(async (tx) => {
      // The row as it is now, locked: the checks and the audit see what the write replaces.
      const [current] = await tx
        .select({
          startTime: reservations.startTime,
          endTime: reservations.endTime,
          staffId: reservations.staffId,
          notes: reservations.notes,
          status: reservations.status,
        })
        .from(reservations)
        .where(and(eq(reservations.id, id), sql`not ${reservations.isDeleted}`))
        .for('update')
      if (!current) throw notFound()
      if (!manages && current.status !== 'pending') throw notEditable()
      const errors: FieldErrors = {}
      const start =
        input.start_time === undefined
          ? current.startTime
          : readInstant('start_time', input.start_time, errors)
      const end =
        input.end_time === undefined ? current.endTime : readInstant('end_time', input.end_time, errors)
      if (input.start_time !== undefined || input.end_time !== undefined)
        checkPeriod(start, end, now, input.start_time !== undefined, errors)
      if (input.staff && !(await isMember(tx, input.staff, row.reservation.businessId)))
        errors.staff = ['Not a member of this business.']
      if (!start || !end || Object.keys(errors).length > 0) throw validationFailed(errors)
      const before = {
        start_time: current.startTime,
        end_time: current.endTime,
        staff: current.staffId,
        notes: current.notes,
      }
      const after = {
        start_time: start,
        end_time: end,
        staff: input.staff === undefined ? current.staffId : input.staff,
        notes: input.notes ?? current.notes,
      }
      const changes = changedFields(before, after)
      if (Object.keys(changes).length === 0) return
      await tx
        .update(reservations)
        .set({
          startTime: after.start_time,
          endTime: after.end_time,
          staffId: after.staff,
          notes: after.notes,
          updatedAt: now,
          updatedBy: actor.userId,
        })
        .where(eq(reservations.id, id))
      await recordAudit(
        tx,
        {
          actor,
          businessId: row.reservation.businessId,
          action: 'update',
          entity: 'reservation',
          entityId: id,
          changes,
        },
        now,
      )
    }),
  )
  return loadReservation(db, id, caller.user)
}

export type ReservationFilters = { status?: Status; staff?: string; date_from?: Date; date_to?: Date }

/** Whose reservations a list holds; null for every business's (a platform admin's export). */
type ReservationScope = { kind: 'own'; customerId: string } | { kind: 'business'; businessId: string } | null

export type ReservationOrdering = 'start_time' | '-start_time'

function scopeCondition(scope: ReservationScope, value: ValueOf): SQL {
  if (scope?.kind === 'business') return scopedSql(reservations, value('scope'))
  const live = sql`not ${reservations.isDeleted}`
  return scope ? sql`${reservations.customerId} = ${value('scope')} and ${live}` : live
}

const reservationList = keysetList<ReservationJoined>('reservations')

/** The reservations of a scope and filters as `viewer` sees them, in `ordering` (see keysetList). */
function reservationQuery(
  viewer: Principal,
  scope: ReservationScope,
  filters: ReservationFilters,
  ordering: ReservationOrdering,
): KeysetQuery<ReservationJoined> {
  return {
    // Whether the viewer sees every address is in the text of the statement (contactVisibleTo).
    shape: `${scope?.kind ?? 'all'}:${isPlatformAdmin(viewer) ? 'platform' : 'viewer'}:${ordering}`,
    select: (db, value) => joinedReservations(db, viewer, value('viewer')).$dynamic(),
    where: (value) => scopeCondition(scope, value),
    values: {
      viewer: viewer.id,
      scope: scope?.kind === 'business' ? scope.businessId : (scope?.customerId ?? null),
    },
    filters,
    // Dates bound the start: [date_from, date_to).
    conditions: {
      status: (value) => sql`${reservations.status} = ${value}`,
      staff: (value) => sql`${reservations.staffId} = ${value}`,
      date_from: (value) => sql`${reservations.startTime} >= ${value}`,
      date_to: (value) => sql`${reservations.startTime} < ${value}`,
    },
    countFrom: sql`${reservations}`,
    order: {
      key: reservations.startTime,
      keyType: sql`timestamptz`,
      id: reservations.id,
      descending: ordering === '-start_time',
    },
    position: (row) => [row.sortKey, row.reservation.id],
  }
}

/** A list's filters as given in its query string. */
export type ReservationQuery = { status?: Status; staff?: string; date_from?: string; date_to?: string }

/** Date filters are whole days in the business's time zone (UTC without a business). */
async function readFilters(
  db: Database,
  query: ReservationQuery,
  businessId: string | null,
): Promise<ReservationFilters> {
  const zone = await businessTimeZone(db, businessId)
  return { status: query.status, staff: query.staff, ...dateRange(query, zone) }
}

/**
 * GET /api/reservations/: with a business context (X-Business-ID, or the caller's single membership)
 * the business's reservations; else the caller's own.
 */
export async function listReservations(
  deps: ReservationDeps,
  caller: Caller,
  query: ReservationQuery,
  ordering: ReservationOrdering,
  page: PageRequest,
) {
  const context = await businessContext(deps.db, caller)
  const scope: ReservationScope = context
    ? { kind: 'business', businessId: requirePower(context, 'reservations.read').businessId }
    : { kind: 'own', customerId: caller.user.id }
  const filters = await readFilters(deps.db, query, context?.businessId ?? null)
  return reservationList.page(deps.db, reservationQuery(caller.user, scope, filters, ordering), page)
}

/**
 * The business's reservations (every business's for a platform admin without X-Business-ID) in
 * `ordering`, in keyset batches for a streamed export.
 */
export async function exportReservations(
  deps: ReservationDeps,
  caller: Caller,
  query: ReservationQuery,
  ordering: ReservationOrdering,
) {
  const businessId = await businessOrPlatform(deps.db, caller, 'reservations.export')
  const filters = await readFilters(deps.db, query, businessId)
  const scope: ReservationScope = businessId ? { kind: 'business', businessId } : null
  const rows = reservationQuery(caller.user, scope, filters, ordering)
  return keysetBatches((after: ReservationJoined | null) =>
    reservationList.batch(deps.db, rows, after, EXPORT_BATCH),
  )
}
