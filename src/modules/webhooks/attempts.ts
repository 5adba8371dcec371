// One attempt to send an event to an endpoint (a pending delivery row), and what its outcome leads to:
// the row records it; a failure schedules the next attempt as a new pending row, due after a backoff
// that grows fourfold (at most 12 hours) while the event is under 3 days old; an endpoint that has
// failed for 5 days without a success since is deactivated and its business's owners are emailed.
// The schedule lives in the database, not in the queue: a worker crash or a Redis that lost its data
// delays an attempt (the dispatcher hands it over again), never loses it.
import { and, eq, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { writeEmail } from '../outbox/outbox.js'
import { postWebhook } from './send.js'
import { type SecretBox, signedHeaders } from './signature.js'
import { webhookDeliveries, webhookEndpoints, webhookEvents } from './tables.js'

const RETRY_WINDOW_MS = 3 * 86_400_000
const DEACTIVATE_AFTER_MS = 5 * 86_400_000
const MAX_RETRY_DELAY_MS = 12 * 3_600_000

/** The wait after the failed attempt number `attempt`: `baseMs`, then four times longer each time. */
export function retryDelay(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 4 ** (attempt - 1), MAX_RETRY_DELAY_MS)
}

export type AttemptDeps = {
  db: Database
  clock: Clock
  secrets: SecretBox
  allowPrivate: boolean
  /** The wait after a first failed attempt (JOB_BACKOFF). */
  backoffMs: number
}

type Outcome = { ok: boolean; responseStatus: number | null; durationMs: number; error: string | null }

type Due = {
  delivery: { id: string; attempt: number; endpointId: string }
  event: typeof webhookEvents.$inferSelect
  url: string
  secretSealed: string
}

/** Drops the endpoint's attempts still to come (it was deactivated or deleted). */
export async function dropPendingAttempts(tx: Database, endpointId: string): Promise<void> {
  await tx
    .delete(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, 'pending')))
}

/** The event as every attempt sends it. */
const eventBody = (event: Due['event']) =>
  JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    business_id: event.businessId,
    data: event.data,
  })

const failureText = (error: unknown) =>
  (error instanceof Error && (error.message || (error as { code?: string }).code)) || String(error)

async function send(deps: AttemptDeps, due: Due, at: Date): Promise<Outcome> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const body = eventBody(due.event)
    const secret = deps.secrets.open(due.secretSealed)
    const headers = signedHeaders(secret, due.event.id, Math.floor(at.getTime() / 1000), body)
    const answer = await postWebhook(new URL(due.url), body, headers, deps.allowPrivate)
    const ok = answer.status >= 200 && answer.status < 300
    const error = ok ? null : `Answered ${answer.status} ${answer.statusText}`.trim()
    return { ok, responseStatus: answer.status, durationMs: elapsed(), error }
  } catch (error) {
    return { ok: false, responseStatus: null, durationMs: elapsed(), error: failureText(error) }
  }
}

/** Makes the pending attempt `deliveryId` (nothing if it is no longer pending) and records it. */
export async function attemptDelivery(deps: AttemptDeps, deliveryId: string): Promise<void> {
  const [due] = await deps.db
    .select({
      delivery: {
        id: webhookDeliveries.id,
        attempt: webhookDeliveries.attempt,
        endpointId: webhookDeliveries.endpointId,
      },
      event: webhookEvents,
      url: webhookEndpoints.url,
      secretSealed: webhookEndpoints.secretSealed,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending')))
  if (!due) return
  const at = deps.clock.now()
  const outcome = await send(deps, due, at)
  await deps.db.transaction((tx) => recordOutcome(tx, deps.backoffMs, due, at, outcome))
}

async function recordOutcome(tx: Database, backoffMs: number, due: Due, at: Date, outcome: Outcome) {
  const { endpointId } = due.delivery
  const [recorded] = await tx
    .update(webhookDeliveries)
    .set({
      status: outcome.ok ? 'succeeded' : 'failed',
      attemptedAt: at,
      responseStatus: outcome.responseStatus,
      durationMs: outcome.durationMs,
      error: outcome.error,
    })
    .where(and(eq(webhookDeliveries.id, due.delivery.id), eq(webhookDeliveries.status, 'pending')))
    .returning({ id: webhookDeliveries.id })
  // Dropped meanwhile (the endpoint was deactivated or deleted), or recorded by a duplicate job.
  if (!recorded) return
  if (outcome.ok) {
    await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpointId))
    return
  }
  // The endpoint's row lock, taken here, orders concurrent failures: one of them deactivates it.
  const [endpoint] = await tx
    .update(webhookEndpoints)
    .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${at})` })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({ failingSince: webhookEndpoints.failingSince, isActive: webhookEndpoints.isActive })
  const failingFor = endpoint?.failingSince ? at.getTime() - endpoint.failingSince.getTime() : 0
  if (endpoint?.isActive && failingFor >= DEACTIVATE_AFTER_MS) return deactivate(tx, endpointId, at)
  const dueAt = new Date(at.getTime() + retryDelay(backoffMs, due.delivery.attempt))
  if (dueAt.getTime() - due.event.createdAt.getTime() > RETRY_WINDOW_MS) return
  await tx.insert(webhookDeliveries).values({
    eventId: due.event.id,
    endpointId,
    attempt: due.delivery.attempt + 1,
    dueAt,
  })
}

/** Deactivates a failing endpoint, drops its attempts to come and emails the business's owners. */
async function deactivate(tx: Database, endpointId: string, at: Date): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ isActive: false, updatedAt: at })
    .where(eq(webhookEndpoints.id, endpointId))
  await dropPendingAttempts(tx, endpointId)
  await writeEmail(tx, 'webhook_disabled', { endpointId })
}
