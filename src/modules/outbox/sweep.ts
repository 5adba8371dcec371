// Sent emails stay in the outbox for a while (what went out, and when, for whoever asks), then go.
import { lt } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { deleteInBatches } from '../../platform/db/sweep.js'
import { outbox } from './tables.js'

export const SENT_KEPT_MS = 30 * 24 * 3_600_000

export function sweepSentEmails(db: Database, now: Date): Promise<number> {
  return deleteInBatches(db, outbox, outbox.id, lt(outbox.sentAt, new Date(now.getTime() - SENT_KEPT_MS)))
}
