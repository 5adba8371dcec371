// GET /api/jobs/ and POST /api/jobs/{id}/retry/: the queue, its failed jobs and the email backlog, for
// platform admins.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { notFound } from '../../platform/errors.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { callerSecurity, platformAdminOnly } from '../../platform/http/guards.js'
import { Text } from '../../platform/http/inputs.js'
import { outboxBacklog } from '../outbox/backlog.js'

const tags = ['jobs']

const JobCounts = Type.Object({
  waiting: Type.Integer(),
  active: Type.Integer(),
  delayed: Type.Integer(),
  failed: Type.Integer(),
})

const FailedJob = Type.Object({
  id: Type.String(),
  name: Type.String(),
  payload: Type.Unknown(),
  attempts: Type.Integer(),
  error: Type.String(),
  failed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

const JobsOverview = Type.Object({
  queue: Type.Union([Type.Literal('bullmq'), Type.Literal('in-process')]),
  counts: JobCounts,
  failed: Type.Array(FailedJob, { description: 'Jobs that used up their attempts, newest first.' }),
  outbox: Type.Object({
    unsent: Type.Integer({ description: 'Emails not sent yet.' }),
    failing: Type.Integer({ description: 'Unsent emails whose last try failed.' }),
    oldest_unsent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
})

export async function jobRoutes(app: App): Promise<void> {
  const { queue, database } = app.deps

  app.get(
    '/api/jobs/',
    {
      onRequest: platformAdminOnly,
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Queue counts, failed jobs with their error, and the email outbox backlog',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Envelope(JobsOverview) },
      },
    },
    async (request) => {
      const [counts, failed, outbox] = await Promise.all([
        queue.counts(),
        queue.failed(request.query.limit),
        outboxBacklog(database.db),
      ])
      return ok({ queue: queue.kind, counts, failed, outbox })
    },
  )

  app.post(
    '/api/jobs/:id/retry/',
    {
      onRequest: platformAdminOnly,
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Run a failed job again, with fresh attempts',
        params: Type.Object({ id: Text({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      if (!(await queue.retry(request.params.id))) throw notFound('No failed job with this id.')
      return ok(null, 'Job queued again')
    },
  )
}
