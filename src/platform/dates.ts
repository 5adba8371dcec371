// Date filters of API.md: `YYYY-MM-DD` is a whole day in a time zone (the business's, UTC when none);
// anything else must be a datetime with an offset.
import { validationFailed } from './errors.js'
import { parseDay, parseInstant } from './http/inputs.js'

// Building a formatter costs far more than using one, and a schedule's slots ask for hundreds.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

// Offsets by zone and quarter hour: formatting is the slow part of a schedule's expansion, and a
// catalog page asks the same few zones about the same few days. A quarter hour holding a change of
// offset (its ends differ) is never remembered: any instant in it is computed.
const QUARTER_HOUR_MS = 15 * 60_000
const MAX_REMEMBERED_OFFSETS = 50_000
const offsets = new Map<string, number | null>()

/** Milliseconds the zone is ahead of UTC at `instant`. */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const quarter = Math.floor(instant / QUARTER_HOUR_MS)
  const key = `${timeZone}\u0000${quarter}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    const start = computedOffsetMs(timeZone, quarter * QUARTER_HOUR_MS)
    const end = computedOffsetMs(timeZone, (quarter + 1) * QUARTER_HOUR_MS - 1000)
    offset = start === end ? start : null
    if (offsets.size >= MAX_REMEMBERED_OFFSETS) offsets.clear()
    offsets.set(key, offset)
  }
  return offset ?? computedOffsetMs(timeZone, instant)
}

function computedOffsetMs(timeZone: string, instant: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/**
 * `instant` as ISO 8601 in `timeZone`'s wall-clock time with that zone's offset at that instant, e.g.
 * `2026-03-29T10:00:00+01:00`; milliseconds only when there are some.
 */
export function isoInZone(instant: Date, timeZone: string): string {
  // Whole minutes: the offset string cannot say seconds, so the wall clock must not show them either.
  const offsetMinutes = Math.round(zoneOffsetMs(timeZone, instant.getTime()) / 60_000)
  const wallClock = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0')
  return `${wallClock.endsWith('.000') ? wallClock.slice(0, -4) : wallClock}${sign}${hours}:${minutes}`
}

/** The instant of a local wall-clock time in `timeZone` (DST-aware; days and hours may overflow). */
export function localTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, day, hour)
  const first = naive - zoneOffsetMs(timeZone, naive)
  // The offset at the guessed instant may differ from the one at the wanted local time (a DST change).
  return new Date(naive - zoneOffsetMs(timeZone, first))
}

/** The instant a local calendar day starts in `timeZone`. */
export function startOfDay(year: number, month: number, day: number, timeZone: string): Date {
  return localTime(year, month, day, 0, timeZone)
}

/**
 * A `date_from`/`date_to` value: a date gives the start of that day (`end` false) or of the next day
 * (`end` true, so the day is included); a datetime with an offset is taken as is.
 */
export function dateBound(field: string, value: string, end: boolean, timeZone = 'UTC'): Date {
  const day = parseDay(value)
  if (day) {
    const [year, month, date] = day
    return end ? startOfDay(year, month, date + 1, timeZone) : startOfDay(year, month, date, timeZone)
  }
  const instant = parseInstant(value)
  if (instant) return instant
  throw validationFailed({ [field]: ['Enter a date (YYYY-MM-DD) or a date-time with an offset.'] })
}

/** `date_from` / `date_to` query values as the instants a list filters on (see dateBound). */
export function dateRange(
  query: { date_from?: string; date_to?: string },
  timeZone = 'UTC',
): { date_from?: Date; date_to?: Date } {
  return {
    date_from: query.date_from ? dateBound('date_from', query.date_from, false, timeZone) : undefined,
    date_to: query.date_to ? dateBound('date_to', query.date_to, true, timeZone) : undefined,
  }
}
