// The console's home: the dashboard figures of the chosen business (platform-wide for a platform
// admin acting across businesses) for a period, as tiles and charts. Agents, whose role does not
// include the figures, get links to their work instead.
import { Alert, Box, Card, MenuItem, TextField, Typography } from '@mui/material'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link, Loading, Title } from 'react-admin'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import type { DashboardStats } from '../../api/types'
import { dashboardCharts, figureTiles, PERIODS, type Period, periodNoun } from '../../ui/stats'
import { useAccess } from '../access'
import { BarFigure } from '../ui/BarFigure'

function Figures({ stats, period }: { stats: DashboardStats; period: Period }) {
  const noun = periodNoun(period)
  const charts = useMemo(() => dashboardCharts(stats, noun), [stats, noun])
  return (
    <>
      <Box
        component="dl"
        sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', m: 0 }}
      >
        {figureTiles(stats, noun).map((tile) => (
          <Card key={tile.label} variant="outlined" sx={{ p: 2 }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {tile.label}
            </Typography>
            <Typography component="dd" variant="h5" sx={{ m: 0, fontVariantNumeric: 'tabular-nums' }}>
              {tile.value}
            </Typography>
          </Card>
        ))}
      </Box>
      <Box sx={{ display: 'grid', gap: 2, mt: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
        {charts.map((spec) => (
          <BarFigure key={spec.title} spec={spec} />
        ))}
      </Box>
    </>
  )
}

export function Home() {
  const access = useAccess()
  const [period, setPeriod] = useState<Period>('week')
  const allowed = access.can('dashboard.read')
  const stats = useQuery({
    queryKey: ['console-dashboard', access.businessId, period],
    enabled: allowed,
    queryFn: async () =>
      (
        await api.get<DashboardStats>('/api/dashboard/stats/', {
          business: access.businessId,
          query: { period },
        })
      ).data,
  })
  const where = stats.data?.business?.name ?? (access.businessId ? 'Your business' : 'The whole platform')
  return (
    <Box sx={{ py: 2 }}>
      <Title title="Home" />
      {!allowed ? (
        <Alert severity="info">
          Your role does not include the business's figures (they are for managers, admins and owners). Work
          with its <Link to="/bookings">bookings</Link> and <Link to="/reservations">reservations</Link>.
        </Alert>
      ) : (
        <>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center', mb: 2 }}>
            <Typography component="h1" variant="h5" sx={{ flexGrow: 1 }}>
              {where}
            </Typography>
            <TextField
              select
              size="small"
              label="Period"
              value={period}
              onChange={(event) => setPeriod(event.target.value as Period)}
              sx={{ width: 200, flexShrink: 0 }}
            >
              {PERIODS.map((item) => (
                <MenuItem key={item.value} value={item.value}>
                  {item.label}
                </MenuItem>
              ))}
            </TextField>
          </Box>
          {stats.isPending ? (
            <Loading loadingPrimary="Loading the figures" loadingSecondary="" />
          ) : stats.error ? (
            <Alert severity="error" role="alert">
              {describeError(stats.error)}
            </Alert>
          ) : (
            <Figures stats={stats.data} period={period} />
          )}
        </>
      )}
    </Box>
  )
}
