// A session's schedule (API.md, "Session schedules and slots"): weekly local times in the business's
// time zone between two dates, minus exception dates. Everything here is pure: the slots service and
// the booking check both ask it which instants are slots.
import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { zoneOffsetMs } from '../../platform/dates.js'
import { validationFailed } from '../../platform/errors.js'
import { Day, patternSaying, Text } from '../../platform/http/inputs.js'

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** At most this many slot times a week, and this many exception dates. */
export const MAX_WEEKLY_TIMES = 50
export const MAX_EXCEPTIONS = 366

const LocalTime = Text({
  pattern: patternSaying('^([01][0-9]|2[0-3]):[0-5][0-9]$', 'Enter a time as HH:MM on the 24-hour clock.'),
  description: 'HH:MM, 24-hour',
})

/** The schedule's fields with `time` and `day` string kinds: input kinds for requests, plain for answers. */
function scheduleFields<TimeKind extends TSchema, DayKind extends TSchema>(
  time: TimeKind,
  day: () => DayKind,
) {
  return {
    weekly: Type.Array(
      Type.Object(
        {
          weekday: Type.Union(WEEKDAYS.map((weekday) => Type.Literal(weekday))),
          times: Type.Array(time, { minItems: 1, maxItems: MAX_WEEKLY_TIMES }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: WEEKDAYS.length },
    ),
    starts_on: day(),
    ends_on: Type.Union([day(), Type.Null()], { description: 'Null: open-ended' }),
    exceptions: Type.Array(day(), { maxItems: MAX_EXCEPTIONS, description: 'Local dates without slots' }),
  }
}
const description = "Weekly slot times, local to the business's time zone, from starts_on to ends_on."

/** A schedule as sessions answer it (the serializer knows standard formats only). */
export const ScheduleSchema = Type.Object(
  scheduleFields(Type.String({ description: 'HH:MM, 24-hour' }), () => Type.String({ format: 'date' })),
  { description },
)
const inputFields = scheduleFields(LocalTime, Day)
/** A schedule as a request gives it: `ends_on` (null) and `exceptions` ([]) may be left out. */
export const ScheduleInputSchema = Type.Object(
  {
    ...inputFields,
    ends_on: Type.Optional(inputFields.ends_on),
    exceptions: Type.Optional(inputFields.exceptions),
  },
  { additionalProperties: false, description },
)
export type Schedule = Static<typeof ScheduleSchema>
export type ScheduleInput = Static<typeof ScheduleInputSchema>

/** The schedule to store: what the request left out filled in. */
export const storedSchedule = (input: ScheduleInput): Schedule => ({
  ...input,
  ends_on: input.ends_on ?? null,
  exceptions: input.exceptions ?? [],
})

/**
 * The rules the shape cannot say, as field errors under `field` (null when there are none): each
 * weekday once, each time once a day, at most MAX_WEEKLY_TIMES times, ends_on not before starts_on.
 */
export function scheduleErrors(schedule: ScheduleInput, field = 'schedule'): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {}
  const add = (key: string, message: string) => {
    errors[`${field}.${key}`] = [...(errors[`${field}.${key}`] ?? []), message]
  }
  const weekdays = schedule.weekly.map((entry) => entry.weekday)
  if (new Set(weekdays).size !== weekdays.length) add('weekly', 'List each weekday once.')
  if (schedule.weekly.some((entry) => new Set(entry.times).size !== entry.times.length))
    add('weekly', 'List each time once a day.')
  const total = schedule.weekly.reduce((sum, entry) => sum + entry.times.length, 0)
  if (total > MAX_WEEKLY_TIMES) add('weekly', `At most ${MAX_WEEKLY_TIMES} times a week.`)
  if (schedule.ends_on != null && schedule.ends_on < schedule.starts_on)
    add('ends_on', 'The end date cannot be before the start date.')
  return Object.keys(errors).length > 0 ? errors : null
}

/** 400 naming the fields when a session input's schedule breaks a rule scheduleErrors knows. */
export function ensureValidSchedule(input: { schedule?: ScheduleInput | null }): void {
  const errors = input.schedule ? scheduleErrors(input.schedule) : null
  if (errors) throw validationFailed(errors)
}

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, and back. */
const dayNumber = (day: string) =>
  Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / DAY_MS
const dayText = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10)

/** The local date (`YYYY-MM-DD`) of an instant in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return dayText(Math.floor((instant.getTime() + zoneOffsetMs(timeZone, instant.getTime())) / DAY_MS))
}

/**
 * The instant of local `time` on `day` in `timeZone`: null when that wall-clock time does not exist
 * (spring forward), the first occurrence when it happens twice (fall back).
 */
export function localInstant(day: string, time: string, timeZone: string): Date | null {
  const wallClock =
    dayNumber(day) * DAY_MS + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * 60_000
  // The offsets in force a day either side cover every offset the wall-clock time can have.
  const offsets = new Set([
    zoneOffsetMs(timeZone, wallClock - DAY_MS),
    zoneOffsetMs(timeZone, wallClock + DAY_MS),
  ])
  const matches = [...offsets]
    .map((offset) => wallClock - offset)
    .filter((instant) => instant + zoneOffsetMs(timeZone, instant) === wallClock)
  return matches.length > 0 ? new Date(Math.min(...matches)) : null
}

/** The schedule's slot starts on local days `from` to `to` (inclusive), sorted, without duplicates. */
export function expandSchedule(schedule: Schedule, timeZone: string, from: string, to: string): Date[] {
  const first = Math.max(dayNumber(from), dayNumber(schedule.starts_on))
  const last = Math.min(dayNumber(to), schedule.ends_on === null ? Infinity : dayNumber(schedule.ends_on))
  const exceptions = new Set(schedule.exceptions)
  const timesOn = new Map(schedule.weekly.map((entry) => [entry.weekday, entry.times]))
  const starts = new Set<number>()
  for (let number = first; number <= last; number++) {
    const day = dayText(number)
    if (exceptions.has(day)) continue
    for (const time of timesOn.get(WEEKDAYS[new Date(number * DAY_MS).getUTCDay()] as Weekday) ?? []) {
      const start = localInstant(day, time, timeZone)
      if (start) starts.add(start.getTime())
    }
  }
  return [...starts].sort((a, b) => a - b).map((ms) => new Date(ms))
}

/** How many local days nextScheduledStart looks through before it gives up. */
export const NEXT_SLOT_LOOKAHEAD_DAYS = 400

/**
 * The schedule's first slot start after `now`, or null when none falls within
 * NEXT_SLOT_LOOKAHEAD_DAYS local days of today (or of `starts_on`, when later). It walks day numbers
 * and converts times only on scheduled days, stopping at the first future start: a weekly schedule
 * costs a few conversions, and a day without times or an exception costs no date arithmetic.
 */
export function nextScheduledStart(schedule: Schedule, timeZone: string, now: Date): Date | null {
  const first = Math.max(dayNumber(localDay(now, timeZone)), dayNumber(schedule.starts_on))
  const last = Math.min(
    first + NEXT_SLOT_LOOKAHEAD_DAYS - 1,
    schedule.ends_on === null ? Infinity : dayNumber(schedule.ends_on),
  )
  const exceptions = new Set(schedule.exceptions.map(dayNumber))
  // Local times in order give instants in the same order (a repeated time counts at its first
  // occurrence), so a day's first future start is its earliest one.
  const timesOn = new Map(schedule.weekly.map((entry) => [entry.weekday, [...entry.times].sort()]))
  for (let number = first; number <= last; number++) {
    // Day 0, 1970-01-01, was a Thursday.
    const times = timesOn.get(WEEKDAYS[(number + 4) % 7] as Weekday)
    if (!times || exceptions.has(number)) continue
    const day = dayText(number)
    for (const time of times) {
      const start = localInstant(day, time, timeZone)
      if (start && start > now) return start
    }
  }
  return null
}

/** Whether `instant` is one of the schedule's slot starts. */
export function isScheduledStart(schedule: Schedule, timeZone: string, instant: Date): boolean {
  const day = localDay(instant, timeZone)
  return expandSchedule(schedule, timeZone, day, day).some((start) => start.getTime() === instant.getTime())
}
