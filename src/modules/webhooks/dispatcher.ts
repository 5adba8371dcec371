// Hands due webhook attempts (pending delivery rows whose time has come) to the queue, one job each, as
// the email outbox hands its rows over (platform/jobs/dispatch.ts): handed over again when the queue
// lost them.
import { and, eq, lte } from 'drizzle-orm'
import {
  type DispatcherDeps,
  type Polling,
  startDispatching,
  type Work,
} from '../../platform/jobs/dispatch.js'
import { deliverWebhook, webhookJobId } from './jobs.js'
import { webhookDeliveries } from './tables.js'

const attempts: Work = {
  table: webhookDeliveries,
  due: (now) => and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.dueAt, now)),
  order: webhookDeliveries.dueAt,
  batch: 100,
  add: (queue, ids) =>
    Promise.all(ids.map((id) => queue.add(deliverWebhook, { deliveryId: id }, { id: webhookJobId(id) }))),
}

export const startWebhookDispatcher = (deps: DispatcherDeps): Polling =>
  startDispatching('webhook dispatch', deps, attempts)
