// The business at a glance: figure tiles and charts from GET /api/dashboard/stats/ for a period.
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../../api/client'
import type { DashboardStats } from '../../api/types'
import { Card, FOCUS, Loading, PageHeader } from '../../ui/controls'
import { SelectField } from '../../ui/forms'
import { dashboardCharts, figureTiles, PERIODS, type Period, periodNoun } from '../../ui/stats'
import { useTitle } from '../../ui/title'
import { BarChart } from './BarChart'
import { can, useDashboard } from './business'
import { isForbidden, ReadError, RoleNotice } from './parts'

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
  const noun = periodNoun(period)

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
  const charts = useMemo(() => dashboardCharts(stats, noun), [stats, noun])
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-6">
        {figureTiles(stats, noun).map((tile) => (
          <div key={tile.label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-slate-700">{tile.label}</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900">{tile.value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-6 lg:grid-cols-2">
        {charts.map(({ title, empty, ...chart }) => (
          <Card key={title}>
            <h2 className="mb-3 text-lg font-semibold text-slate-900">{title}</h2>
            {empty ? <p className="text-sm text-slate-700">{empty}</p> : <BarChart {...chart} />}
          </Card>
        ))}
      </div>
    </div>
  )
}
