// GET /api/sessions/{id}/slots/: a session's slots in a window of local days, with the seats left in
// each and how many wait for one. The schedule gives the scheduled slots (schedule.ts); one range read
// of the seat counters gives what each holds, and adds any slot with active bookings the schedule no
// longer lists.
import { Type } from '@sinclair/typebox'
import { and, eq, gte, lt, sql } from 'drizzle-orm'
import { startOfDay } from '../../platform/dates.js'
import { validationFailed } from '../../platform/errors.js'
import { Day } from '../../platform/http/inputs.js'
import { sessionSlots } from '../bookings/tables.js'
import { businessTimeZone, type Caller } from '../businesses/access.js'
import { waitlistEntries } from '../waitlist/tables.js'
import { visibleSession } from './policy.js'
import { expandSchedule, localDay } from './schedule.js'
import type { CatalogDeps } from './service.js'

/** The default window (today and the next 13 days) and the longest one a request may ask for. */
export const DEFAULT_SLOT_DAYS = 14
export const MAX_SLOT_DAYS = 92

export const SlotQuery = Type.Object({
  from: Type.Optional(Day({ description: 'First local day (YYYY-MM-DD); default today' })),
  to: Type.Optional(
    Day({ description: `Last local day, at most ${MAX_SLOT_DAYS} days on; default from + 13` }),
  ),
})

export const SlotSchema = Type.Object(
  {
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    capacity: Type.Integer(),
    booked: Type.Integer({ description: 'Pending and confirmed bookings' }),
    held: Type.Integer({ description: 'Seats held for people offered one from the waiting list' }),
    seats_left: Type.Integer(),
    waiting: Type.Integer({ description: "People in the slot's waiting list, not yet offered a seat" }),
    scheduled: Type.Boolean({
      description: 'False for a slot with bookings that the schedule no longer lists',
    }),
  },
  { $id: 'Slot' },
)

const DAY_MS = 86_400_000
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS
const shiftDay = (day: string, days: number) =>
  new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10)
const dayStart = (day: string, zone: string) =>
  startOfDay(+day.slice(0, 4), +day.slice(5, 7), +day.slice(8, 10), zone)

/** The window's first and last local day, or 400 naming `to` when it is reversed or too long. */
function slotWindow(query: { from?: string; to?: string }, today: string) {
  const from = query.from ?? today
  const to = query.to ?? shiftDay(from, DEFAULT_SLOT_DAYS - 1)
  if (to < from) throw validationFailed({ to: ['The last day cannot be before the first.'] })
  if (dayNumber(to) - dayNumber(from) >= MAX_SLOT_DAYS)
    throw validationFailed({ to: [`At most ${MAX_SLOT_DAYS} days at a time.`] })
  return { from, to }
}

/** The session's future slots from `from` to `to` (local days of its business), in start order. */
export async function listSlots(
  deps: CatalogDeps,
  viewer: Caller | null,
  id: string,
  query: { from?: string; to?: string },
) {
  const { session } = await visibleSession(deps.db, viewer?.user ?? null, id)
  const now = deps.clock.now()
  const zone = await businessTimeZone(deps.db, session.businessId)
  const { from, to } = slotWindow(query, localDay(now, zone))
  const counters = await deps.db
    .select({
      start: sessionSlots.bookingDate,
      booked: sessionSlots.booked,
      held: sessionSlots.held,
      // People wait only for a full slot, which has a counter row.
      waiting: sql<number>`(select count(*)::int from ${waitlistEntries}
        where ${waitlistEntries.sessionId} = ${sessionSlots.sessionId}
          and ${waitlistEntries.bookingDate} = ${sessionSlots.bookingDate}
          and ${waitlistEntries.status} = 'waiting')`,
    })
    .from(sessionSlots)
    .where(
      and(
        eq(sessionSlots.sessionId, id),
        gte(sessionSlots.bookingDate, dayStart(from, zone)),
        lt(sessionSlots.bookingDate, dayStart(shiftDay(to, 1), zone)),
        sql`${sessionSlots.booked} + ${sessionSlots.held} > 0`,
      ),
    )
  const taken = new Map(counters.map((row) => [row.start.getTime(), row]))
  const scheduled = new Set(
    (session.schedule ? expandSchedule(session.schedule, zone, from, to) : []).map((start) =>
      start.getTime(),
    ),
  )
  return [...new Set([...scheduled, ...taken.keys()])]
    .filter((start) => start > now.getTime())
    .sort((a, b) => a - b)
    .map((start) => {
      const { booked, held, waiting } = taken.get(start) ?? { booked: 0, held: 0, waiting: 0 }
      return {
        start: new Date(start).toISOString(),
        end: new Date(start + session.duration * 60_000).toISOString(),
        capacity: session.maxParticipants,
        booked,
        held,
        seats_left: Math.max(session.maxParticipants - booked - held, 0),
        waiting,
        scheduled: scheduled.has(start),
      }
    })
}
