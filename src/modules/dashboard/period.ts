// The dashboard's periods: calendar periods in a time zone (the business's, UTC platform-wide), as
// half-open instant ranges [from, to). Pure functions of `now` and the zone, DST included: a local day
// lasts 23, 24 or 25 hours, and so do the weeks, months and years that contain a change.
import { zoneOffsetMs } from '../../platform/dates.js'

export const PERIODS = ['day', 'week', 'month', 'year'] as const
export type Period = (typeof PERIODS)[number]

export type Range = { from: Date; to: Date }

export type LocalDate = { year: number; month: number; day: number }

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(instant.getTime() + zoneOffsetMs(timeZone, instant.getTime()))
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() }
}

const dateKey = ({ year, month, day }: LocalDate) => year * 10_000 + month * 100 + day

/**
 * The first instant of a local calendar day (month and day may overflow: day 32 is the next month's
 * first). Usually local midnight; where a DST change skips midnight (America/Santiago in September)
 * the day starts at the change, and where clocks fall back across midnight, at the midnight after it;
 * a day a zone skipped altogether (Pacific/Apia, 2011-12-30) is empty and starts with the next one.
 * Every local midnight lies within 14 hours of UTC midnight of the same date, so the offsets in force
 * 14 hours either side of it give the candidates: the earliest one not before the day is its start.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const midnight = Date.UTC(year, month - 1, day)
  const normalized = new Date(midnight)
  const wanted = dateKey({
    year: normalized.getUTCFullYear(),
    month: normalized.getUTCMonth() + 1,
    day: normalized.getUTCDate(),
  })
  const candidates = [midnight - 14 * HOUR_MS, midnight + 14 * HOUR_MS]
    .map((probe) => midnight - zoneOffsetMs(timeZone, probe))
    .filter((instant) => dateKey(localDate(new Date(instant), timeZone)) >= wanted)
  return new Date(Math.min(...candidates))
}

/** The calendar period (`day`, ISO `week` from Monday, `month`, `year`) that contains `now`. */
export function periodRange(period: Period, now: Date, timeZone: string): Range {
  const { year, month, day } = localDate(now, timeZone)
  const start = (y: number, m: number, d: number) => startOfLocalDay(y, m, d, timeZone)
  switch (period) {
    case 'day':
      return { from: start(year, month, day), to: start(year, month, day + 1) }
    case 'week': {
      // getUTCDay counts from Sunday (0); ISO weeks start on Monday.
      const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7
      return { from: start(year, month, day - sinceMonday), to: start(year, month, day - sinceMonday + 7) }
    }
    case 'month':
      return { from: start(year, month, 1), to: start(year, month + 1, 1) }
    case 'year':
      return { from: start(year, 1, 1), to: start(year + 1, 1, 1) }
  }
}

/**
 * The window of `next_7_days`: the 168 hours from `now` (a rolling window, so it never depends on the
 * zone and always looks a full week ahead, whatever the time of day).
 */
export function nextSevenDays(now: Date): Range {
  return { from: now, to: new Date(now.getTime() + 7 * DAY_MS) }
}
