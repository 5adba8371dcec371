// GET /api/businesses/{id}/availability/: the free start times of one day, for the web UIs. Public,
// like the catalog: an active business's opening hours minus its pending and confirmed reservations.
import { type Static, Type } from '@sinclair/typebox'
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { App } from '../../app-types.js'
import type { Database } from '../../platform/db/index.js'
import { type FieldErrors, notFound, validationFailed } from '../../platform/errors.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { IdParams, Text } from '../../platform/http/inputs.js'
import { scoped } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { isMember } from '../businesses/access.js'
import { type LocalDate, openDay, type Period, startsWithin, weekOf } from '../businesses/opening-hours.js'
import { businesses } from '../businesses/tables.js'
import { isActive } from '../lifecycle/status.js'
import type { ReservationDeps } from './routes.js'
import { reservations } from './tables.js'

/** Candidate start times are this many minutes apart, counted from each opening interval's open time. */
export const SLOT_STEP_MINUTES = 15
const DEFAULT_DURATION_MINUTES = 30
const MINUTE = 60_000
const FIRST_YEAR = 1970
const AvailabilityQuery = Type.Object({
  date: Type.String({ format: 'date', description: "The day (YYYY-MM-DD) in the business's timezone" }),
  staff: Type.Optional(
    Text({
      maxLength: 36,
      description:
        "A member's user id: that staff member's calendar. Absent or empty: the business calendar " +
        '(reservations without staff). The two are separate calendars.',
    }),
  ),
  duration: Type.Optional(
    Type.Integer({
      minimum: 5,
      maximum: 720,
      default: DEFAULT_DURATION_MINUTES,
      description: 'Length of the wanted reservation in minutes of real elapsed time',
    }),
  ),
})
type AvailabilityQuery = Static<typeof AvailabilityQuery>

const AvailabilitySchema = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    timezone: Type.String({ description: "The business's IANA time zone" }),
    duration: Type.Integer(),
    staff: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    slots: Type.Array(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$',
        description:
          "A free start time: ISO 8601 local time in the business's timezone with its UTC offset at that " +
          'instant (2026-03-30T09:00:00+01:00; +00:00, never Z).',
      }),
      {
        description:
          `Every ${SLOT_STEP_MINUTES} minutes from each opening interval's open time while start + duration ` +
          'ends by its close, in time order, minus those overlapping a pending or confirmed reservation of ' +
          'the calendar and those not in the future. A time a spring-forward skips is left out; a time a ' +
          'fall-back repeats appears twice, once per offset.',
      },
    ),
  },
  { $id: 'Availability' },
)

/** The calendar's pending and confirmed reservations meeting [from, to), in one query. */
async function takenPeriods(
  db: Database,
  businessId: string,
  staff: string | null,
  from: number,
  to: number,
): Promise<Period[]> {
  const rows = await db
    .select({ start: reservations.startTime, end: reservations.endTime })
    .from(reservations)
    .where(
      scoped(
        reservations,
        { businessId },
        isActive(reservations.status),
        staff === null ? isNull(reservations.staffId) : eq(reservations.staffId, staff),
        lt(reservations.startTime, new Date(to)),
        gt(reservations.endTime, new Date(from)),
      ),
    )
  return rows.map((row) => ({ start: row.start.getTime(), end: row.end.getTime() }))
}

export async function availability(deps: ReservationDeps, businessId: string, query: AvailabilityQuery) {
  const [business] = await deps.db
    .select({ timezone: businesses.timezone, openingHours: businesses.openingHours })
    .from(businesses)
    .where(
      and(eq(businesses.id, businessId), sql`not ${businesses.isDeleted}`, eq(businesses.isActive, true)),
    )
  if (!business) throw notFound()

  const [year, month, day] = query.date.split('-').map(Number) as [number, number, number]
  const staff = query.staff || null
  const errors: FieldErrors = {}
  if (year < FIRST_YEAR) errors.date = [`Enter a date from ${FIRST_YEAR} on.`]
  if (staff !== null && !isUuid(staff)) errors.staff = ['Must be a valid UUID.']
  else if (staff !== null && !(await isMember(deps.db, staff, businessId)))
    errors.staff = ['Not a member of this business.']
  if (Object.keys(errors).length > 0) throw validationFailed(errors)

  const date: LocalDate = { year, month, day }
  const opening = openDay(weekOf(business.openingHours), date, business.timezone)
  const duration = query.duration ?? DEFAULT_DURATION_MINUTES
  const length = duration * MINUTE
  const now = deps.clock.now().getTime()
  const candidates = startsWithin(opening.periods, length, SLOT_STEP_MINUTES * MINUTE).filter(
    (start) => start > now,
  )
  const first = candidates[0]
  const last = candidates.at(-1)
  const taken =
    first === undefined || last === undefined
      ? []
      : await takenPeriods(deps.db, businessId, staff, first, last + length)
  // Half-open intervals: a reservation ending at a start, or starting at its end, leaves it free.
  const free = candidates.filter((start) =>
    taken.every((reservation) => reservation.end <= start || start + length <= reservation.start),
  )
  return {
    date: query.date,
    timezone: business.timezone,
    duration,
    staff,
    slots: free.map(opening.format),
  }
}

export async function availabilityRoutes(app: App, { deps }: { deps: ReservationDeps }) {
  app.get(
    '/api/businesses/:id/availability/',
    {
      schema: {
        tags: ['reservations'],
        summary: "Free start times of one day in the business's timezone (public)",
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: Envelope(AvailabilitySchema) },
      },
    },
    async (request) => ok(await availability(deps, request.params.id, request.query)),
  )
}
