// Calendar arithmetic in a business's time zone for the booking pages: local days as YYYY-MM-DD,
// 24-hour clock times, weekdays of opening hours.
import type { OpeningHours, Weekday } from '../../api/types'

const WEEKDAYS: Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

/** The local calendar day (YYYY-MM-DD) of an instant in a time zone (the browser's by default). */
export function localDay(instant: Date | string, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(new Date(instant))
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** A YYYY-MM-DD day moved by a number of days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** "09:00": the 24-hour clock time of an instant in a time zone. */
export function clockTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso))
}

/** "Tuesday 9 December" for a YYYY-MM-DD day, independent of any time zone. */
export function dayLabel(day: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${day}T12:00:00Z`))
}

export function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()] as Weekday
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "Open 09:00–13:00, 14:00–18:00" or "Closed on Sundays" for the weekday of a day. */
export function openingLine(hours: OpeningHours | undefined, day: string): string | null {
  if (!hours) return null
  const weekday = weekdayOf(day)
  const intervals = hours[weekday] ?? []
  if (intervals.length === 0) return `Closed on ${capitalized(weekday)}s`
  return `Open ${intervals.map(([open, close]) => `${open}–${close}`).join(', ')}`
}

/** The browser's own time zone, to tell whether another zone needs naming. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}
