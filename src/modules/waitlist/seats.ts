// How the waiting list holds seats. A slot's seats are taken on its counter row (session_slots):
// `booked` by pending and confirmed bookings, `held` by offers to people in line. The one conditional
// UPDATE that takes a seat for a booking counts both against the capacity (bookings/service.ts), so a
// slot never holds more bookings plus offers than the session has seats. A seat that frees while people
// wait moves from its holder to the next in line in the same transaction (a cancelled booking's seat
// becomes held, an expired or declined offer's stays held, a claimed one becomes booked): the total
// never changes, so the seat is never free for a moment, and the move needs no capacity.
//
// Locks, always in this order: the session row (FOR SHARE, by the paths that read its capacity or
// insert a booking), the slot's counter row (FOR UPDATE), then the slot's entries. A join locks the
// counter before it checks that the slot is full, and freeing a seat locks it before it looks for the
// first in line: either one waits for the other and then sees its outcome, so nobody is left waiting
// next to a free seat.
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { type Database, queryRows } from '../../platform/db/index.js'
import { scopedSql } from '../../platform/tenancy.js'
import { sessionSlots } from '../bookings/tables.js'
import { outboxInsertFrom } from '../outbox/outbox.js'
import { platformSettings } from '../settings/tables.js'
import { waitlistEntries } from './tables.js'

/** A session's slot: the exact instant `bookingDate`. */
export type Slot = { sessionId: string; bookingDate: Date }

/** Who gives seats up: cancelled bookings, or offers that expired or were declined. */
export type SeatHolder = 'booked' | 'held'

const counterOf = (slot: Slot) =>
  and(eq(sessionSlots.sessionId, slot.sessionId), eq(sessionSlots.bookingDate, slot.bookingDate))

/** Locks the slot's counter row: its seats taken, or undefined for a slot nobody ever took a seat of. */
export async function lockSlot(tx: Database, slot: Slot) {
  const [counter] = await tx
    .select({ booked: sessionSlots.booked, held: sessionSlots.held })
    .from(sessionSlots)
    .where(counterOf(slot))
    .for('update')
  return counter
}

/**
 * Offers up to `seats` seats of a future slot to the first in line, and writes each one's email;
 * answers how many were offered. An inactive session (or business) offers nothing, since no claim
 * could book it: its seats go back to the slot, and reactivating the session offers them. The caller holds the counter's lock and counts the offers as held.
 * An offer lasts `waitlist_hold_minutes` (the platform setting, read in this transaction), and never
 * past the slot's start, when a claim could no longer book it.
 */
async function offerToLine(tx: Database, slot: Slot, seats: number, now: Date): Promise<number> {
  if (seats <= 0) return 0
  const [result] = await queryRows<{ offered: number }>(
    tx,
    sql`with next as (
          select id from ${waitlistEntries}
          where session_id = ${slot.sessionId} and booking_date = ${slot.bookingDate}
            and status = 'waiting' and booking_date > ${now}
            and exists (
              select from sessions s join businesses b on b.id = s.business_id
              where s.id = ${slot.sessionId} and s.status = 'active' and b.is_active)
          order by join_order
          limit ${seats}
          for update
        ), offer as (
          update ${waitlistEntries} entry
          set status = 'offered', updated_at = ${now},
              offer_expires_at = least(
                ${now}::timestamptz
                  + (select waitlist_hold_minutes from ${platformSettings} where id = 1) * interval '1 minute',
                entry.booking_date)
          from next where entry.id = next.id
          returning entry.id
        ), mail as (
          ${outboxInsertFrom('waitlist_offer', { entryId: sql`id` }, 'offer')}
        )
        select count(*)::int as offered from offer`,
  )
  return result?.offered ?? 0
}

/**
 * Gives up `seats` seats of a slot that `holder` had. The first in line get them as offers, in the
 * caller's transaction; the seats nobody waits for go back to the slot.
 */
export async function releaseSeats(tx: Database, slot: Slot, holder: SeatHolder, seats: number, now: Date) {
  await lockSlot(tx, slot)
  const offered = await offerToLine(tx, slot, seats, now)
  await tx
    .update(sessionSlots)
    .set({
      booked: sql`${sessionSlots.booked} - ${holder === 'booked' ? seats : 0}`,
      held: sql`${sessionSlots.held} + ${offered - (holder === 'held' ? seats : 0)}`,
    })
    .where(counterOf(slot))
}

/** A claimed offer's seat becomes a booking's, in one statement: it is never free in between. */
export async function bookHeldSeat(tx: Database, slot: Slot) {
  await tx
    .update(sessionSlots)
    .set({ booked: sql`${sessionSlots.booked} + 1`, held: sql`${sessionSlots.held} - 1` })
    .where(counterOf(slot))
}

/**
 * After a session's capacity went up, or it was made active again, offers the free seats of its
 * future slots to the people in line.
 * The caller holds the session row FOR UPDATE: `capacity` is the one it wrote, and no join of the
 * session runs meanwhile.
 */
export async function offerNewSeats(tx: Database, sessionId: string, capacity: number, now: Date) {
  const lines = await tx
    .selectDistinct({ bookingDate: waitlistEntries.bookingDate })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.sessionId, sessionId),
        sql`${waitlistEntries.status} = 'waiting'`,
        gt(waitlistEntries.bookingDate, now),
      ),
    )
    .orderBy(asc(waitlistEntries.bookingDate))
  for (const { bookingDate } of lines) {
    const slot = { sessionId, bookingDate }
    const counter = await lockSlot(tx, slot)
    if (!counter) continue
    const offered = await offerToLine(tx, slot, capacity - counter.booked - counter.held, now)
    if (offered > 0)
      await tx
        .update(sessionSlots)
        .set({ held: sql`${sessionSlots.held} + ${offered}` })
        .where(counterOf(slot))
  }
}

/**
 * After a business was made active again, offers the free seats of its active sessions' future slots
 * to the people in line: none were offered while it was inactive. Locks those sessions FOR UPDATE (as
 * a session's own update does) before offerNewSeats.
 */
export async function offerSeatsOfBusiness(tx: Database, businessId: string, now: Date) {
  const lined = await queryRows<{ id: string; capacity: number }>(
    tx,
    sql`select s.id, s.max_participants as capacity from sessions s
        where ${scopedSql('s', businessId)} and s.status = 'active'
          and exists (
            select from ${waitlistEntries} w
            where w.session_id = s.id and w.status = 'waiting' and w.booking_date > ${now})
        order by s.id
        for update of s`,
  )
  for (const session of lined) await offerNewSeats(tx, session.id, session.capacity, now)
}
