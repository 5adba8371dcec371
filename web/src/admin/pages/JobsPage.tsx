// Background jobs (platform admins): the queue's counts, the jobs that used up their attempts (with
// their error and payload, and a Retry each) and the email outbox backlog. Refreshes every 10 s.
import RefreshIcon from '@mui/icons-material/Refresh'
import ReplayIcon from '@mui/icons-material/Replay'
import {
  Alert,
  Box,
  Card,
  CardContent,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Loading, Title, useNotify } from 'react-admin'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import type { paths } from '../../api/schema'
import { formatDateTime } from '../../ui/format'
import { Button } from '../ui/buttons'
import { WideTable } from '../ui/WideTable'

type JobsOverview = paths['/api/jobs/']['get']['responses'][200]['content']['application/json']['data']
type FailedJob = JobsOverview['failed'][number]

const REFRESH_MS = 10_000

/** A row of figures, each a labelled number. */
function Figures({ title, items }: { title: string; items: [string, string | number][] }) {
  return (
    <Card variant="outlined" sx={{ flex: '1 1 320px' }}>
      <CardContent>
        <Typography component="h2" variant="h6" gutterBottom>
          {title}
        </Typography>
        <Box
          component="dl"
          sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))', gap: 2, m: 0 }}
        >
          {items.map(([label, value]) => (
            <div key={label}>
              <Typography component="dt" variant="body2" color="text.secondary">
                {label}
              </Typography>
              <Typography
                component="dd"
                variant={typeof value === 'number' ? 'h6' : 'body1'}
                sx={{ m: 0, fontVariantNumeric: 'tabular-nums' }}
              >
                {value}
              </Typography>
            </div>
          ))}
        </Box>
      </CardContent>
    </Card>
  )
}

function FailedJobs({
  jobs,
  onRetry,
  retrying,
}: {
  jobs: FailedJob[]
  onRetry: (id: string) => void
  retrying: string | null
}) {
  if (jobs.length === 0) return <Alert severity="success">No failed jobs.</Alert>
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <WideTable aria-label="Failed jobs">
        <TableHead>
          <TableRow>
            <TableCell>Job</TableCell>
            <TableCell align="right">Attempts</TableCell>
            <TableCell>Error</TableCell>
            <TableCell>Failed at</TableCell>
            <TableCell>Payload</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {jobs.map((job) => (
            <TableRow key={job.id}>
              <TableCell component="th" scope="row">
                {job.name}
                <Typography variant="caption" color="text.secondary" display="block">
                  {job.id}
                </Typography>
              </TableCell>
              <TableCell align="right">{job.attempts}</TableCell>
              <TableCell sx={{ maxWidth: 360, wordBreak: 'break-word' }}>{job.error}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {job.failed_at ? formatDateTime(job.failed_at) : '—'}
              </TableCell>
              <TableCell>
                <details>
                  <summary style={{ cursor: 'pointer' }}>Show</summary>
                  <Box
                    component="pre"
                    sx={{ m: 0, fontSize: '0.8125rem', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                  >
                    {JSON.stringify(job.payload, null, 2)}
                  </Box>
                </details>
              </TableCell>
              <TableCell>
                <Button label="Retry" onClick={() => onRetry(job.id)} disabled={retrying !== null}>
                  <ReplayIcon />
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </WideTable>
    </Box>
  )
}

export function JobsPage() {
  const notify = useNotify()
  const jobs = useQuery({
    queryKey: ['console-jobs'],
    queryFn: async () => (await api.get<JobsOverview>('/api/jobs/', { query: { limit: 50 } })).data,
    refetchInterval: REFRESH_MS,
  })
  const retry = useMutation({
    mutationFn: (id: string) => api.post(`/api/jobs/${encodeURIComponent(id)}/retry/`),
    onSuccess: () => notify('Job queued again', { type: 'success' }),
    onError: (error) => notify(describeError(error), { type: 'error' }),
    onSettled: () => jobs.refetch(),
  })
  const data = jobs.data
  return (
    <Box sx={{ py: 2 }}>
      <Title title="Jobs" />
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, mb: 2 }}>
        <Typography component="h1" variant="h5" sx={{ flexGrow: 1 }}>
          Background jobs
        </Typography>
        {jobs.dataUpdatedAt > 0 && (
          <Typography variant="body2" color="text.secondary" aria-live="polite">
            Updated at {new Date(jobs.dataUpdatedAt).toLocaleTimeString(undefined, { hourCycle: 'h23' })}
          </Typography>
        )}
        <Button label="Refresh jobs" onClick={() => jobs.refetch()} disabled={jobs.isFetching}>
          <RefreshIcon />
        </Button>
      </Box>
      {jobs.error && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {describeError(jobs.error)}
        </Alert>
      )}
      {jobs.isPending ? (
        <Loading loadingPrimary="Loading the jobs" loadingSecondary="" />
      ) : data ? (
        <>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mb: 2 }}>
            <Figures
              title={`Queue (${data.queue === 'bullmq' ? 'BullMQ on Redis' : 'in-process'})`}
              items={[
                ['Waiting', data.counts.waiting],
                ['Active', data.counts.active],
                ['Delayed', data.counts.delayed],
                ['Failed', data.counts.failed],
              ]}
            />
            <Figures
              title="Email outbox"
              items={[
                ['Unsent', data.outbox.unsent],
                ['Failing', data.outbox.failing],
                [
                  'Oldest unsent',
                  data.outbox.oldest_unsent_at ? formatDateTime(data.outbox.oldest_unsent_at) : '—',
                ],
              ]}
            />
          </Box>
          <Typography component="h2" variant="h6" gutterBottom>
            Failed jobs
          </Typography>
          <FailedJobs
            jobs={data.failed}
            onRetry={(id) => retry.mutate(id)}
            retrying={retry.isPending ? (retry.variables ?? null) : null}
          />
        </>
      ) : null}
    </Box>
  )
}
