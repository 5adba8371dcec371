// Opening hours: the weekly [open, close] local times a business takes reservations in, their schema
// and rules (service.ts validates them on create and update), and how one calendar day of them becomes
// real periods in the business's time zone, DST included (reservations/availability.ts asks that).
import { type TSchema, Type } from '@sinclair/typebox'
import { zoneOffsetMs } from '../../platform/dates.js'
import type { FieldErrors } from '../../platform/errors.js'
import { patternSaying, Text } from '../../platform/http/inputs.js'
import { type OpeningHours, WEEKDAYS, type Weekday } from './tables.js'

const TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const LocalTime = Text({
  pattern: patternSaying(TIME.source, 'Enter a time as HH:MM on the 24-hour clock (24:00 only as a close).'),
  description: 'HH:MM, 24-hour clock',
})
const description =
  "Per weekday, the local times (the business's timezone) it takes reservations in. All seven days " +
  'are required; a PATCH replaces the whole week. Default Monday to Saturday 09:00-18:00.'

/** The week's schema with `time` as the times' kind: the input kind for requests, plain for answers. */
function weekSchema(time: TSchema) {
  const Interval = Type.Unsafe<[string, string]>({
    type: 'array',
    items: time,
    minItems: 2,
    maxItems: 2,
    description: '[open, close]: 00:00 <= open < close <= 24:00 ("24:00" only as a close)',
  })
  const Day = Type.Array(Interval, {
    maxItems: 48,
    description: 'Sorted, non-overlapping intervals; [] when closed',
  })
  return Type.Object(
    {
      monday: Day,
      tuesday: Day,
      wednesday: Day,
      thursday: Day,
      friday: Day,
      saturday: Day,
      sunday: Day,
    },
    { additionalProperties: false, description },
  )
}

export const OpeningHoursSchema = weekSchema(LocalTime)
/** Opening hours as answers show them (the response serializer knows standard formats only). */
export const OpeningHoursOutSchema = weekSchema(Type.String({ description: 'HH:MM, 24-hour clock' }))

/** Minutes past midnight of an "HH:MM" time ("24:00" is 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/** The week in weekday order, each interval copied: what is stored and shown. */
export function weekOf(hours: Partial<OpeningHours>): OpeningHours {
  return Object.fromEntries(
    WEEKDAYS.map((day) => [day, (hours[day] ?? []).map(([open, close]) => [open, close])]),
  ) as OpeningHours
}

/** Field errors (`opening_hours.monday[1]`) for intervals that are malformed, empty, unsorted or overlapping. */
export function openingHoursErrors(hours: OpeningHours, field = 'opening_hours'): FieldErrors {
  const errors: FieldErrors = {}
  for (const day of WEEKDAYS) {
    let previousClose = 0
    for (const [index, interval] of (hours[day] ?? []).entries()) {
      const name = `${field}.${day}[${index}]`
      const [open = '', close = ''] = interval
      if (interval.length !== 2 || !TIME.test(open) || !TIME.test(close)) {
        errors[name] = ['Give [open, close] as "HH:MM" times from 00:00 to 24:00.']
        continue
      }
      const [start, end] = [minutesOf(open), minutesOf(close)]
      if (start >= end) errors[name] = ['The opening time must be before the closing time.']
      else if (start < previousClose) errors[name] = ['Intervals must be in order and must not overlap.']
      previousClose = Math.max(previousClose, end)
    }
  }
  return errors
}

/**
 * A zone's offset around one local day: `before` until the instant `change`, `after` from it (the
 * same offset and no change on most days). The window spans every instant the day can have under
 * any UTC offset (-12h..+14h); a zone changes its offset at most once in it.
 */
type DayOffsets = { before: number; after: number; change: number }

function dayOffsets(timeZone: string, midnightAsUtc: number): DayOffsets {
  let low = midnightAsUtc - 15 * HOUR
  let high = midnightAsUtc + 37 * HOUR
  const before = zoneOffsetMs(timeZone, low)
  const after = zoneOffsetMs(timeZone, high)
  if (before === after) return { before, after, change: Number.POSITIVE_INFINITY }
  // Offsets change on whole seconds: narrow [low, high) to the second the offset stops being `before`.
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000
    if (zoneOffsetMs(timeZone, middle) === before) low = middle
    else high = middle
  }
  return { before, after, change: high }
}

const offsetAt = (day: DayOffsets, instant: number) => (instant < day.change ? day.before : day.after)

/**
 * The instants at which the local clock shows `minutes` past midnight of the day, in order: none when
 * a spring-forward skips that time, two when a fall-back repeats it.
 */
function wallInstants(day: DayOffsets, midnightAsUtc: number, minutes: number): number[] {
  const wall = midnightAsUtc + minutes * MINUTE
  const offsets = day.before === day.after ? [day.before] : [day.before, day.after]
  return offsets
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(day, instant) === wall - instant)
    .sort((a, b) => a - b)
}

export type LocalDate = { year: number; month: number; day: number }
export type Period = { start: number; end: number }

export type OpenDay = {
  /** The day's opening intervals as real periods [start, end) in epoch milliseconds, in order. */
  periods: Period[]
  /** An instant of the day as ISO 8601 local time with the zone's offset then ("...T09:00:00+01:00"). */
  format(instant: number): string
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * One calendar day of opening hours in `timeZone`. An interval runs from the first moment the local
 * clock reaches its open time to the last moment it reaches its close time ("24:00": the next local
 * midnight); a time a spring-forward skips is reached at the jump. So on a DST day an interval across
 * the change is an hour shorter (spring) or longer (fall) in real time.
 */
export function openDay(hours: OpeningHours, date: LocalDate, timeZone: string): OpenDay {
  const midnight = new Date(0)
  midnight.setUTCFullYear(date.year, date.month - 1, date.day)
  const midnightAsUtc = midnight.getTime()
  const weekday = WEEKDAYS[(midnight.getUTCDay() + 6) % 7] as Weekday
  const offsets = dayOffsets(timeZone, midnightAsUtc)
  const reached = (time: string, last: boolean) => {
    const found = wallInstants(offsets, midnightAsUtc, minutesOf(time))
    const instant = last ? found.at(-1) : found[0]
    return instant ?? offsets.change
  }
  const periods = (hours[weekday] ?? [])
    .map(([open, close]) => ({ start: reached(open, false), end: reached(close, true) }))
    .filter((period) => period.start < period.end)
  return {
    periods,
    format(instant) {
      const offset = Math.round(offsetAt(offsets, instant) / MINUTE)
      const local = new Date(instant + offset * MINUTE).toISOString().slice(0, 19)
      const sign = offset < 0 ? '-' : '+'
      return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
    },
  }
}

/**
 * Start times `step` apart from each period's start while start + duration still ends within it, in
 * order and without repeats (two intervals may overlap in real time on a fall-back night).
 */
export function startsWithin(periods: Period[], durationMs: number, stepMs: number): number[] {
  const starts = new Set<number>()
  for (const { start, end } of periods)
    for (let at = start; at + durationMs <= end; at += stepMs) starts.add(at)
  return [...starts].sort((a, b) => a - b)
}
