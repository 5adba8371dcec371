// The waiting list's part of the minute schedule (automation/schedule.ts): offers that ran out pass their
// seat on to the next in line (or back to the slot), and people still waiting when their slot starts
// stop waiting.
import { and, asc, eq, lte, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { BATCH_SIZE } from '../automation/queries.js'
import { lockSlot, releaseSeats, type Slot } from './seats.js'
import { waitlistEntries } from './tables.js'

export type ExpiredOffer = Slot & { id: string }

/**
 * Offers that ran out by `now`, soonest slot first. They are not locked here: each is expired after its
 * slot's counter is locked (seats.ts keeps that order), and re-checked then.
 */
export function expiredOffers(tx: Database, now: Date): Promise<ExpiredOffer[]> {
  return tx
    .select({
      id: waitlistEntries.id,
      sessionId: waitlistEntries.sessionId,
      bookingDate: waitlistEntries.bookingDate,
    })
    .from(waitlistEntries)
    .where(and(sql`${waitlistEntries.status} = 'offered'`, lte(waitlistEntries.offerExpiresAt, now)))
    .orderBy(asc(waitlistEntries.bookingDate), asc(waitlistEntries.sessionId))
    .limit(BATCH_SIZE)
}

/** Expires an offer that ran out and gives its seat up; false when it was claimed or ended meanwhile. */
export async function expireOffer(tx: Database, offer: ExpiredOffer, now: Date): Promise<boolean> {
  await lockSlot(tx, offer)
  const [expired] = await tx
    .update(waitlistEntries)
    .set({ status: 'expired', updatedAt: now })
    .where(
      and(
        eq(waitlistEntries.id, offer.id),
        sql`${waitlistEntries.status} = 'offered'`,
        lte(waitlistEntries.offerExpiresAt, now),
      ),
    )
    .returning({ id: waitlistEntries.id })
  if (!expired) return false
  await releaseSeats(tx, offer, 'held', 1, now)
  return true
}

/** People still waiting for a slot that started by `now` (a batch, locked like the schedule's rows). */
export function waitsOfStartedSlots(tx: Database, now: Date): Promise<{ id: string }[]> {
  return tx
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(and(sql`${waitlistEntries.status} = 'waiting'`, lte(waitlistEntries.bookingDate, now)))
    .orderBy(asc(waitlistEntries.bookingDate))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
}

/** Ends a wait whose slot started without a seat for it. */
export async function endWait(tx: Database, wait: { id: string }, now: Date): Promise<boolean> {
  await tx
    .update(waitlistEntries)
    .set({ status: 'expired', updatedAt: now })
    .where(eq(waitlistEntries.id, wait.id))
  return true
}
