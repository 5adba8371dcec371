// Events stay (with their attempts, the delivery log) for 30 days, long after their last retry, then go.
import { lt } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { deleteInBatches } from '../../platform/db/sweep.js'
import { webhookEvents } from './tables.js'

export const EVENTS_KEPT_MS = 30 * 86_400_000

export function sweepWebhookEvents(db: Database, now: Date): Promise<number> {
  return deleteInBatches(
    db,
    webhookEvents,
    webhookEvents.id,
    lt(webhookEvents.createdAt, new Date(now.getTime() - EVENTS_KEPT_MS)),
  )
}
