// An endpoint's delivery log (every attempt, newest first, the pending one to come included) and
// redelivery: one more attempt of an event, due at once.
import { and, desc, eq, lt, sql } from 'drizzle-orm'
import { countRows } from '../../platform/db/count.js'
import { conflict, notFound } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import {
  type CursorCodec,
  type ListResult,
  type PaginationQuery,
  readPageRequest,
} from '../../platform/http/pagination.js'
import { isUuid } from '../../platform/uuid.js'
import { manageableEndpoint, type WebhookDeps } from './endpoints.js'
import { webhookDeliveries, webhookEndpoints, webhookEvents } from './tables.js'

type DeliveryRow = { delivery: typeof webhookDeliveries.$inferSelect; event: string }

export function deliveryOut({ delivery, event }: DeliveryRow) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event,
    attempt: delivery.attempt,
    status: delivery.status,
    response_status: delivery.responseStatus,
    duration_ms: delivery.durationMs,
    error: delivery.error,
    // When it was made, or for a pending attempt when it is due.
    at: (delivery.attemptedAt ?? delivery.dueAt).toISOString(),
  }
}

const withEvent = { delivery: webhookDeliveries, event: webhookEvents.type }

/** A page of the endpoint's attempts, newest first. */
export async function listDeliveries(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
  query: PaginationQuery,
  cursors: CursorCodec,
) {
  const endpoint = await manageableEndpoint(deps, user, businessId, endpointId)
  const page = readPageRequest(query, cursors)
  const ofEndpoint = eq(webhookDeliveries.endpointId, endpoint.id)
  const after =
    page.kind === 'cursor' && page.after ? lt(webhookDeliveries.seq, Number(page.after[0])) : undefined
  const rows = await deps.db
    .select(withEvent)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(ofEndpoint, after))
    .orderBy(desc(webhookDeliveries.seq))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const total =
    page.kind === 'page' ? await countRows(deps.db, sql`from ${webhookDeliveries} where ${ofEndpoint}`) : null
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const result: ListResult<DeliveryRow> = {
    rows: shown,
    fetched: rows.length,
    lastPosition: last ? [last.delivery.seq] : null,
    total,
  }
  return { page, result }
}

/**
 * Sends the event of one of the endpoint's attempts again: a new attempt, due at once, numbered after
 * the event's last one. An inactive endpoint gets nothing (409): its attempts would never be made.
 */
export async function redeliver(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  const endpoint = await manageableEndpoint(deps, user, businessId, endpointId)
  if (!isUuid(deliveryId)) throw notFound()
  return deps.db.transaction(async (tx) => {
    // Shared with other redeliveries, exclusive of a deactivation, which drops the pending attempts.
    const [live] = await tx
      .select({ isActive: webhookEndpoints.isActive })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpoint.id))
      .for('share')
    if (!live?.isActive) throw conflict('conflict', 'This endpoint is inactive: activate it first.')
    const [original] = await tx
      .select(withEvent)
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
    if (!original) throw notFound()
    const { eventId } = original.delivery
    const [created] = await tx
      .insert(webhookDeliveries)
      .values({
        eventId,
        endpointId: endpoint.id,
        attempt: sql`(select max(${webhookDeliveries.attempt}) + 1 from ${webhookDeliveries}
          where ${webhookDeliveries.eventId} = ${eventId} and ${webhookDeliveries.endpointId} = ${endpoint.id})`,
        dueAt: deps.clock.now(),
      })
      .returning()
    if (!created) throw new Error('insert returned no row')
    return { delivery: created, event: original.event }
  })
}
