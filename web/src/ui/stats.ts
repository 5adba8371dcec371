// The dashboard figures (GET /api/dashboard/stats/) as tiles and chart specifications, shared by the
// web app's overview and the admin console's home: the same words, colours and summaries in both.
import type { DashboardStats, Status } from '../api/types'
import type { BarChartOptions, BarDatum } from './charts'
import { formatMoney } from './format'

export type Period = DashboardStats['period']

export const PERIODS: { value: Period; label: string; noun: string }[] = [
  { value: 'day', label: 'Today', noun: 'today' },
  { value: 'week', label: 'This week', noun: 'this week' },
  { value: 'month', label: 'This month', noun: 'this month' },
  { value: 'year', label: 'This year', noun: 'this year' },
]

export const periodNoun = (period: Period) => PERIODS.find((item) => item.value === period)?.noun ?? period

const STATUS_ORDER: Status[] = ['pending', 'confirmed', 'completed', 'cancelled']
const STATUS_COLORS: Record<Status, string> = {
  pending: '#b45309',
  confirmed: '#047857',
  completed: '#475569',
  cancelled: '#b91c1c',
}
const STATUS_LABELS: Record<Status, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  completed: 'Completed',
  cancelled: 'Cancelled',
}

const asCount = (value: number) => String(Math.round(value))
const asPercent = (value: number) => `${Math.round(value)} %`

function statusData(counts: Record<Status, number>): BarDatum[] {
  return STATUS_ORDER.map((status) => ({
    label: STATUS_LABELS[status],
    value: counts[status],
    color: STATUS_COLORS[status],
  }))
}

export function figureTiles(stats: DashboardStats, noun: string) {
  return [
    { label: `Bookings ${noun}`, value: String(stats.bookings.total) },
    { label: 'Bookings today', value: String(stats.bookings.today) },
    { label: 'Bookings in the next 7 days', value: String(stats.bookings.next_7_days) },
    { label: `Revenue ${noun}`, value: formatMoney(stats.revenue.amount, stats.revenue.currency) },
    { label: `New customers ${noun}`, value: String(stats.new_customers) },
    { label: `Reservations ${noun}`, value: String(stats.reservations.total) },
  ]
}

export type ChartSpec = BarChartOptions & {
  title: string
  /** What to say instead of the chart when it has nothing to show. */
  empty: string | null
  /** What the chart says, in one sentence, for people who cannot see it. */
  summary: string
  labelHeader: string
}

const listed = (data: BarDatum[], format: (value: number) => string) =>
  data.map((item) => `${item.label} ${format(item.value)}`).join(', ')

/** The four charts of a period: bookings and reservations by status, occupancy, top sessions. */
export function dashboardCharts(stats: DashboardStats, noun: string): ChartSpec[] {
  const bookings = statusData(stats.bookings.by_status)
  const reservations = statusData(stats.reservations.by_status)
  const occupancy = stats.occupancy.map((item) => ({
    id: item.session_id,
    label: item.title,
    value: item.rate * 100,
  }))
  const top = stats.top_sessions.map((item) => ({
    id: item.session_id,
    label: item.title,
    value: item.bookings,
  }))
  return [
    {
      title: 'Bookings by status',
      empty: stats.bookings.total === 0 ? `No bookings ${noun}.` : null,
      data: bookings,
      summary: `Bookings ${noun} by status: ${listed(bookings, asCount)}.`,
      labelHeader: 'Status',
      valueHeader: 'Bookings',
      format: asCount,
    },
    {
      title: 'Reservations by status',
      empty: stats.reservations.total === 0 ? `No reservations ${noun}.` : null,
      data: reservations,
      summary: `Reservations ${noun} by status: ${listed(reservations, asCount)}.`,
      labelHeader: 'Status',
      valueHeader: 'Reservations',
      format: asCount,
    },
    {
      title: 'Occupancy per session',
      empty: occupancy.length === 0 ? `No booked sessions ${noun}.` : null,
      horizontal: true,
      data: occupancy,
      max: 100,
      summary: `Share of seats taken ${noun}: ${listed(occupancy, asPercent)}.`,
      labelHeader: 'Session',
      valueHeader: 'Seats taken',
      format: asPercent,
    },
    {
      title: 'Top sessions',
      empty: top.length === 0 ? `No bookings ${noun}.` : null,
      horizontal: true,
      data: top,
      summary: `Sessions with the most bookings ${noun}: ${listed(top, asCount)}.`,
      labelHeader: 'Session',
      valueHeader: 'Bookings',
      format: asCount,
    },
  ]
}
