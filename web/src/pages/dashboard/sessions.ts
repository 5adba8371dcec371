// Session reads and the schedule's words, shared by the session list and the session editor.
import type { Schedule, Session } from '../../api/types'
import { formatLocalDate } from './parts'

export type Weekday = Schedule['weekly'][number]['weekday']

/** Monday first, as people in most of the world read a week. */
export const WEEK: { day: Weekday; name: string; short: string }[] = [
  { day: 'mon', name: 'Monday', short: 'Mon' },
  { day: 'tue', name: 'Tuesday', short: 'Tue' },
  { day: 'wed', name: 'Wednesday', short: 'Wed' },
  { day: 'thu', name: 'Thursday', short: 'Thu' },
  { day: 'fri', name: 'Friday', short: 'Fri' },
  { day: 'sat', name: 'Saturday', short: 'Sat' },
  { day: 'sun', name: 'Sunday', short: 'Sun' },
]

export const sessionsKey = (businessId: string) => ['dashboard', businessId, 'sessions'] as const

/** "Mon–Fri 09:00, 18:30 · Sat 10:00 · from 4 Jan 2027 to 30 Jun 2027", or "Any time (1:1)". */
export function scheduleSummary(schedule: Session['schedule']): string {
  if (!schedule) return 'Any time (1:1)'
  const timesOf = (day: Weekday) =>
    [...(schedule.weekly.find((item) => item.weekday === day)?.times ?? [])].sort().join(', ')
  // Neighbouring days with the same times read as one range: "Mon–Fri 08:00".
  const runs: { from: string; to: string; times: string }[] = []
  for (const { day, short } of WEEK) {
    const times = timesOf(day)
    const last = runs.at(-1)
    if (
      times &&
      last &&
      last.times === times &&
      last.to === WEEK[WEEK.findIndex((item) => item.day === day) - 1]?.short
    )
      last.to = short
    else if (times) runs.push({ from: short, to: short, times })
  }
  const days =
    runs.length === 1 && runs[0]?.from === 'Mon' && runs[0].to === 'Sun'
      ? [`Every day ${runs[0].times}`]
      : runs.map((run) => `${run.from === run.to ? run.from : `${run.from}–${run.to}`} ${run.times}`)
  const range = schedule.ends_on
    ? `${formatLocalDate(schedule.starts_on)} to ${formatLocalDate(schedule.ends_on)}`
    : `from ${formatLocalDate(schedule.starts_on)}`
  const skipped = schedule.exceptions.length
  return [
    ...days,
    range,
    ...(skipped ? [`${skipped} ${skipped === 1 ? 'exception' : 'exceptions'}`] : []),
  ].join(' · ')
}
