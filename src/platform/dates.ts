// Date filters of API.md: `YYYY-MM-DD` is a whole day in a time zone (the business's, UTC when none);
// anything else must be a datetime with an offset.
import { validationFailed } from './errors.js'

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
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
  const day = DATE_ONLY.exec(value)
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])]
    if (isCalendarDay(year, month, date)) {
      return end ? startOfDay(year, month, date + 1, timeZone) : startOfDay(year, month, date, timeZone)
    }
  } else {
    const datetime = WITH_OFFSET.exec(value)
    if (datetime && isCalendarDay(Number(datetime[1]), Number(datetime[2]), Number(datetime[3]))) {
      const instant = new Date(value)
      if (!Number.isNaN(instant.getTime())) return instant
    }
  }
  throw validationFailed({ [field]: ['Enter a date (YYYY-MM-DD) or a date-time with an offset.'] })
}
