// The business at a glance: figure tiles and charts from GET /api/dashboard/stats/ for a period.
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../../api/client'
import type { DashboardStats, Status } from '../../api/types'
import { Card, FOCUS, Loading, PageHeader } from '../../ui/controls'
import { formatMoney } from '../../ui/format'
import { SelectField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { BarChart, type BarDatum } from './BarChart'
import { can, useDashboard } from './business'
import { isForbidden, ReadError, RoleNotice } from './parts'

type Period = DashboardStats['period']

const PERIODS: { value: Period; label: string; noun: string }[] = [
  { value: 'day', label: 'Today', noun: 'today' },
  { value: 'week', label: 'This week', noun: 'this week' },
  { value: 'month', label: 'This month', noun: 'this month' },
  { value: 'year', label: 'This year', noun: 'this year' },
]

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

export function OverviewSection() {
  useTitle('Dashboard overview')
  const { business, power, search } = useDashboard()
  const [period, setPeriod] = useState<Period>('week')
  const allowed = can.seeStats(power)
  const stats = useQuery({
    queryKey: ['dashboard', business.id, 'stats', period],
    enabled: allowed,
    retry: (count, error) => !isForbidden(error) && count < 2,
    queryFn: async () =>
      (await api.get<DashboardStats>('/api/dashboard/stats/', { business: business.id, query: { period } }))
        .data,
  })
  const noun = PERIODS.find((item) => item.value === period)?.noun ?? period

  if (!allowed || isForbidden(stats.error))
    return (
      <>
        <PageHeader title="Overview" />
        <RoleNotice>
          <p className="font-semibold">Your role does not include the figures.</p>
          <p className="mt-1">
            The business's figures are for managers, admins and owners. You can work with{' '}
            <Link
              className={`font-semibold underline ${FOCUS}`}
              to={{ pathname: '/dashboard/bookings', search }}
            >
              bookings
            </Link>{' '}
            and{' '}
            <Link
              className={`font-semibold underline ${FOCUS}`}
              to={{ pathname: '/dashboard/reservations', search }}
            >
              reservations
            </Link>
            .
          </p>
        </RoleNotice>
      </>
    )

  return (
    <>
      <PageHeader title="Overview">
        <div className="w-full sm:w-48">
          <SelectField
            label="Period"
            value={period}
            onChange={(event) => setPeriod(event.target.value as Period)}
          >
            {PERIODS.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </SelectField>
        </div>
      </PageHeader>
      {stats.isPending ? (
        <Loading what="Loading the figures" />
      ) : stats.error ? (
        <ReadError error={stats.error} power={power} what="the figures" onRetry={() => stats.refetch()} />
      ) : (
        <Figures stats={stats.data} noun={noun} />
      )}
    </>
  )
}

function Figures({ stats, noun }: { stats: DashboardStats; noun: string }) {
  const bookingsByStatus = useMemo(() => statusData(stats.bookings.by_status), [stats])
  const reservationsByStatus = useMemo(() => statusData(stats.reservations.by_status), [stats])
  const occupancy = useMemo<BarDatum[]>(
    () => stats.occupancy.map((item) => ({ id: item.session_id, label: item.title, value: item.rate * 100 })),
    [stats],
  )
  const top = useMemo<BarDatum[]>(
    () =>
      stats.top_sessions.map((item) => ({ id: item.session_id, label: item.title, value: item.bookings })),
    [stats],
  )
  const tiles = [
    { label: `Bookings ${noun}`, value: String(stats.bookings.total) },
    { label: 'Bookings today', value: String(stats.bookings.today) },
    { label: 'Bookings in the next 7 days', value: String(stats.bookings.next_7_days) },
    { label: `Revenue ${noun}`, value: formatMoney(stats.revenue.amount, stats.revenue.currency) },
    { label: `New customers ${noun}`, value: String(stats.new_customers) },
    { label: `Reservations ${noun}`, value: String(stats.reservations.total) },
  ]
  const describeStatus = (what: string, data: BarDatum[]) =>
    `${what} ${noun} by status: ${data.map((item) => `${item.label} ${item.value}`).join(', ')}.`

  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-6">
        {tiles.map((tile) => (
          <div key={tile.label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-slate-700">{tile.label}</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900">{tile.value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Bookings by status</h2>
          {stats.bookings.total === 0 ? (
            <p className="text-sm text-slate-700">No bookings {noun}.</p>
          ) : (
            <BarChart
              data={bookingsByStatus}
              summary={describeStatus('Bookings', bookingsByStatus)}
              labelHeader="Status"
              valueHeader="Bookings"
              format={asCount}
            />
          )}
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Reservations by status</h2>
          {stats.reservations.total === 0 ? (
            <p className="text-sm text-slate-700">No reservations {noun}.</p>
          ) : (
            <BarChart
              data={reservationsByStatus}
              summary={describeStatus('Reservations', reservationsByStatus)}
              labelHeader="Status"
              valueHeader="Reservations"
              format={asCount}
            />
          )}
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Occupancy per session</h2>
          {occupancy.length === 0 ? (
            <p className="text-sm text-slate-700">No booked sessions {noun}.</p>
          ) : (
            <BarChart
              horizontal
              data={occupancy}
              max={100}
              summary={`Share of seats taken ${noun}: ${occupancy.map((item) => `${item.label} ${asPercent(item.value)}`).join(', ')}.`}
              labelHeader="Session"
              valueHeader="Seats taken"
              format={asPercent}
            />
          )}
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Top sessions</h2>
          {top.length === 0 ? (
            <p className="text-sm text-slate-700">No bookings {noun}.</p>
          ) : (
            <BarChart
              horizontal
              data={top}
              summary={`Sessions with the most bookings ${noun}: ${top.map((item) => `${item.label} ${item.value}`).join(', ')}.`}
              labelHeader="Session"
              valueHeader="Bookings"
              format={asCount}
            />
          )}
        </Card>
      </div>
    </div>
  )
}

function statusData(counts: Record<Status, number>): BarDatum[] {
  return STATUS_ORDER.map((status) => ({
    label: STATUS_LABELS[status],
    value: counts[status],
    color: STATUS_COLORS[status],
  }))
}
