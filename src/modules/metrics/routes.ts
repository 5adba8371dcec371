// GET /metrics: Prometheus' text format, outside /api/ and the OpenAPI document. Registered before every
// other route, so that each route's requests are timed (requests.ts).
import cluster from 'node:cluster'
import { Type } from '@sinclair/typebox'
import { AggregatorRegistry, Registry } from 'prom-client'
import type { App } from '../../app-types.js'
import { metricsAccess } from './access.js'
import { answerReports, gatherReports } from './cluster.js'
import { createMetrics, type MetricsSources } from './collect.js'
import { observeRequests } from './requests.js'

export async function registerMetrics(app: App, sources: MetricsSources): Promise<void> {
  const metrics = createMetrics(sources)
  observeRequests(app, metrics.requestDurations)
  const ownAsJson = async () => (await metrics.own()).getMetricsAsJSON()

  // In a cluster, this process's own metrics summed with the other web processes' (cluster.ts); alone,
  // or when the primary does not answer, its own.
  let everyProcess = () => metrics.own()
  if (cluster.isWorker && app.config.webConcurrency > 1) {
    const stopAnswering = answerReports(process, ownAsJson)
    app.addHook('onClose', async () => stopAnswering())
    everyProcess = () =>
      gatherReports(process).then(
        (reports) => AggregatorRegistry.aggregate(reports as object[]),
        (error) => {
          app.log.warn({ err: error }, 'metrics of the other web processes unavailable; reporting this one')
          return metrics.own()
        },
      )
  }

  app.get(
    '/metrics',
    {
      onRequest: metricsAccess(app.config.metricsToken),
      config: { ownBearerToken: true },
      schema: { hide: true, response: { 200: Type.String() } },
    },
    async (_request, reply) => {
      const [processes, shared] = await Promise.all([everyProcess(), metrics.shared()])
      const text = await Registry.merge([processes, shared]).metrics()
      return reply.type(Registry.PROMETHEUS_CONTENT_TYPE).send(text)
    },
  )
}
