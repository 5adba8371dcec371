// The webhook job: one attempt of one delivery row (attempts.ts). Its outcome, a failure included, is
// recorded on the row, and the next attempt is a row of its own: the job fails only when the database
// does, for the queue to retry.
import { defineJob, type JobRegistry } from '../../platform/jobs/registry.js'
import { type AttemptDeps, attemptDelivery } from './attempts.js'

export const deliverWebhook = defineJob<{ deliveryId: string }>('webhook.deliver')

/** The queue's job id for an attempt: the same attempt handed over twice makes one job. */
export const webhookJobId = (deliveryId: string) => `webhook-${deliveryId}`

export function registerWebhookJobs(registry: JobRegistry, deps: AttemptDeps): void {
  registry.handle(deliverWebhook, ({ deliveryId }) => attemptDelivery(deps, deliveryId))
}
