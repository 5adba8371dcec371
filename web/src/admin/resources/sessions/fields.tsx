// Fields the session list and detail share: the price with its business's currency, the duration
// in words, and the schedule as one readable line ("Mon–Fri 09:00 · Sat 10:00") or per weekday.
import { Typography } from '@mui/material'
import { useGetOne, useRecordContext } from 'react-admin'
import type { Business, Schedule, Session } from '../../../api/types'
import { scheduleSummary, WEEK } from '../../../pages/dashboard/sessions'
import { formatDuration, formatMoney } from '../../../ui/format'
import { useAccess } from '../../access'

/**
 * The price in the currency of the session's business, read once per business where the caller may
 * read it (their chosen business; every business for a platform admin); a bare amount elsewhere.
 */
export function PriceField(_props: { label?: string; sortBy?: string }) {
  const access = useAccess()
  const record = useRecordContext<Session>()
  const businessId = record?.business.id
  const readable = Boolean(businessId) && (access.platformAdmin || businessId === access.businessId)
  const { data } = useGetOne<Business>(
    'businesses',
    { id: businessId ?? '' },
    { enabled: readable, retry: false },
  )
  if (!record) return null
  return <span>{formatMoney(record.price, readable ? data?.currency : null)}</span>
}

export function DurationField(_props: { label?: string; sortBy?: string }) {
  const record = useRecordContext<Session>()
  return record ? <span>{formatDuration(record.duration)}</span> : null
}

export function ScheduleSummaryField(_props: { label?: string }) {
  const record = useRecordContext<Session>()
  return record ? <span>{scheduleSummary(record.schedule)}</span> : null
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }
/** A local calendar date ("2027-01-04") as people read it, without any zone shifting it. */
export const formatDate = (day: string) =>
  new Intl.DateTimeFormat(undefined, DATE).format(new Date(`${day}T00:00:00Z`))

/** The schedule in full: each weekday's times, the date range and the dates left out. */
export function ScheduleDetails({ schedule }: { schedule: Schedule | null }) {
  if (!schedule)
    return <Typography variant="body2">No weekly schedule: any future time can be booked (1:1).</Typography>
  const days = WEEK.flatMap(({ day, name }) => {
    const times = schedule.weekly.find((entry) => entry.weekday === day)?.times ?? []
    return times.length ? [{ name, times: [...times].sort().join(', ') }] : []
  })
  return (
    <div>
      <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
        {days.map(({ name, times }) => (
          <li key={name}>
            <Typography variant="body2">
              {name}: {times}
            </Typography>
          </li>
        ))}
      </ul>
      <Typography variant="body2" sx={{ mt: 1 }}>
        From {formatDate(schedule.starts_on)}
        {schedule.ends_on ? ` to ${formatDate(schedule.ends_on)}` : ', open-ended'}
      </Typography>
      {schedule.exceptions.length > 0 && (
        <Typography variant="body2">
          Except {[...schedule.exceptions].sort().map(formatDate).join(', ')}
        </Typography>
      )}
      <Typography variant="caption" color="text.secondary">
        Times are local to the business's time zone.
      </Typography>
    </div>
  )
}
