// Reservations: a customer's appointment with a business's calendar or one of its staff over the
// half-open period [start_time, end_time). Two pending or confirmed reservations of one calendar never
// overlap: the exclusion constraint reservations_no_overlap guarantees it under any concurrency, and its
// violation (SQLSTATE 23P01) is the 409 slot_taken. The code checks everything else, every field at once.
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { databaseError } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import {
  conflict,
  type FieldErrors,
  notFound,
  permissionDenied,
  validationFailed,
} from '../../platform/errors.js'
import { users } from '../accounts/tables.js'
import { type Actor, changedFields, recordAudit } from '../audit/service.js'
import { type Caller, isMember } from '../businesses/access.js'
import { requireAccess } from '../lifecycle/access.js'
import { moveReservation } from '../lifecycle/moves.js'
import type { Movable } from '../lifecycle/service.js'
import { loadReservation, type ReservationJoined } from './queries.js'
import { reservations } from './tables.js'

export type ReservationDeps = { db: Database; clock: Clock }

const MIN_LENGTH_MS = 5 * 60_000
const MAX_LENGTH_MS = 12 * 3_600_000

const slotTaken = () => conflict('slot_taken', 'This time overlaps another reservation of the same calendar.')
const notEditable = () =>
  conflict('not_editable', 'Only a pending reservation can be changed by its customer.')

/**
 * A condition (always true) that takes a transaction lock on one calendar (business and staff member,
 * or the business calendar). Concurrent inserts checked by an exclusion constraint wait on each other's
 * uncommitted rows and, three or more at a time, deadlock; one calendar's writers taken in turn never
 * do. The constraint still decides; the lock only orders.
 */
export const calendarLock = (business: SQL, staff: SQL) =>
  sql`pg_advisory_xact_lock(hashtextextended(${business}::text || '/' || coalesce(${staff}::text, ''), 0)) is not null`

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

/** How a reservation is read and moved (lifecycle/service.ts): its customer and the business's staff see it. */
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
      await tx.execute(sql`select ${calendarLock(sql`${row.reservation.businessId}`, sql`${after.staff}`)}`)
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
