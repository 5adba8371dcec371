// Liveness and readiness, for load balancers and orchestrators. Plain bodies, outside the envelope.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { checkReadiness } from './service.js'

const Liveness = Type.Object({ status: Type.Literal('ok') })
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  failing: Type.Array(Type.String(), { description: 'Names of the parts that failed their check.' }),
  checks: Type.Record(Type.String(), Type.String(), { description: 'Each part: "ok" or why it failed.' }),
  backlog: Type.Object(
    {
      outbox: Type.Optional(
        Type.Object({
          unsent: Type.Integer(),
          failing: Type.Integer(),
          oldest_unsent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        }),
      ),
      queue: Type.Optional(
        Type.Object({
          waiting: Type.Integer(),
          active: Type.Integer(),
          delayed: Type.Integer(),
          failed: Type.Integer(),
        }),
      ),
    },
    { description: 'Work waiting: unsent emails, and the job queue.' },
  ),
})

export async function healthRoutes(app: App): Promise<void> {
  app.get(
    '/health/',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Liveness } } },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready/',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database, the job queue, and Redis when configured; with the backlog',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const report = await checkReadiness(app.deps, app.config.readinessTimeoutMs)
      return reply.code(report.status === 'ok' ? 200 : 503).send(report)
    },
  )
}
