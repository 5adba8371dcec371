// A session's capacity never drops below the seats already taken in one of its future slots (API.md,
// "max_participants below seats already taken"), also against bookings running at the same time:
// - the booking statement (bookings/service.ts) reads the session row FOR SHARE and compares a slot's
//   counter with the capacity of that locked row: a locked read waits for a transaction changing the
//   row and then returns its newest committed version (Read Committed re-checks the updated row),
//   where a plain subquery would read the version of the statement's snapshot, possibly the old one;
// - a capacity change locks the session row FOR UPDATE first (which waits for the bookings holding it
//   FOR SHARE and makes later ones wait), and only then, in a later statement and so with a fresh
//   snapshot that sees every booking committed before the lock, reads the counters of its future slots.
import { and, gt, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { AppError, type FieldErrors } from '../../platform/errors.js'
import { sessionSlots } from '../bookings/tables.js'

/**
 * The most seats taken (booked, or held for waiting-list offers) in one slot after `now`, per session
 * (0 for a session with none). The caller
 * must hold the sessions' rows FOR UPDATE, taken in an earlier statement of its transaction.
 */
export async function seatsTaken(
  tx: Database,
  sessionIds: string[],
  now: Date,
): Promise<Map<string, number>> {
  const taken = new Map(sessionIds.map((id) => [id, 0]))
  if (sessionIds.length === 0) return taken
  const rows = await tx
    .select({
      sessionId: sessionSlots.sessionId,
      booked: sql<number>`max(${sessionSlots.booked} + ${sessionSlots.held})::int`,
    })
    .from(sessionSlots)
    .where(and(inArray(sessionSlots.sessionId, sessionIds), gt(sessionSlots.bookingDate, now)))
    .groupBy(sessionSlots.sessionId)
  for (const row of rows) taken.set(row.sessionId, row.booked)
  return taken
}

export const seatsTakenMessage = (taken: number) =>
  `A future slot already holds ${taken} seats (bookings and waiting-list offers): the capacity cannot go below that.`

/**
 * 409: a capacity below the seats taken; `errors` names the field (`max_participants`, or in a bulk
 * request `update[1].max_participants`).
 */
export const capacityBelowSeats = (errors: FieldErrors) =>
  new AppError(409, 'conflict', 'The capacity is below the seats already taken.', errors)

/** Refuses (409) a new capacity of one session below the seats taken in one of its future slots. */
export async function ensureCapacityFits(tx: Database, sessionId: string, capacity: number, now: Date) {
  const taken = (await seatsTaken(tx, [sessionId], now)).get(sessionId) ?? 0
  if (taken > capacity) throw capacityBelowSeats({ max_participants: [seatsTakenMessage(taken)] })
}
