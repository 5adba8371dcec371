// Writing webhook events: always in the transaction of the change, and only for a business with a live,
// active endpoint subscribed to the event's type. The check rides in the insert itself, so a change in
// a business without webhooks pays one index probe. Each event gets a pending first attempt per
// subscribed endpoint, which the dispatcher hands to the queue.
import { type SQL, sql } from 'drizzle-orm'
import { type Database, queryRows } from '../../platform/db/index.js'
import { literal } from '../../platform/db/literals.js'
import { scopedSql } from '../../platform/tenancy.js'
import {
  WEBHOOK_EVENTS,
  type WebhookEventType,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from './tables.js'

export const isWebhookEvent = (name: string): name is WebhookEventType =>
  (WEBHOOK_EVENTS as readonly string[]).includes(name)

/** `alias` (an endpoint) is live, active, of the business `businessId` and subscribed to `type`. */
const subscribed = (alias: string, businessId: SQL, type: WebhookEventType) =>
  sql`${scopedSql(alias, businessId)} and ${sql.identifier(alias)}.is_active
    and ${literal(type)} = any(${sql.identifier(alias)}.events)`

/** What an event is written from: rows, and expressions over them. */
export type EventSource = {
  /** The FROM list: a statement's CTE or tables, with their joins. */
  from: SQL
  /** Conditions on those rows. */
  where?: SQL
  businessId: SQL
  /** The object as the API renders it, as `json`. */
  data: SQL
  at: SQL
}

/**
 * Two CTEs, `webhook_event` and `webhook_deliveries`, for a statement's WITH list: a `type` event per
 * row of the source whose business has an endpoint subscribed to it, and a first attempt per such
 * endpoint, due at once.
 */
export function webhookEventCtes(type: WebhookEventType, source: EventSource): SQL {
  return sql`webhook_event as (
    insert into ${webhookEvents} (business_id, type, data, created_at)
    select ${source.businessId}, ${literal(type)}, ${source.data}, ${source.at}
    from ${source.from}
    where ${source.where ?? sql`true`}
      and exists (select 1 from ${webhookEndpoints} hook_endpoint
        where ${subscribed('hook_endpoint', source.businessId, type)})
    returning id, business_id, created_at
  ), webhook_deliveries as (
    insert into ${webhookDeliveries} (event_id, endpoint_id, attempt, due_at)
    select webhook_event.id, hook_endpoint.id, 1, webhook_event.created_at
    from webhook_event join ${webhookEndpoints} hook_endpoint
      on ${subscribed('hook_endpoint', sql`webhook_event.business_id`, type)}
  )`
}

/** Writes the event of one source, on its own (a change made in several statements). */
export async function writeWebhookEvent(tx: Database, type: WebhookEventType, source: EventSource) {
  await tx.execute(sql`with ${webhookEventCtes(type, source)} select 1`)
}

/**
 * Writes a `type` event of the business in `tx`, rendering its data with `render` only when an endpoint
 * wants it: for changes whose answer is rendered in code (a session's next slot is computed, not read).
 */
export async function recordWebhookEvent(
  tx: Database,
  event: { businessId: string; type: WebhookEventType; at: Date },
  render: () => Promise<unknown>,
): Promise<void> {
  const businessId = sql`${event.businessId}::uuid`
  const [wanted] = await queryRows<{ wanted: boolean }>(
    tx,
    sql`select exists (select 1 from ${webhookEndpoints} hook_endpoint
      where ${subscribed('hook_endpoint', businessId, event.type)}) as wanted`,
  )
  if (!wanted?.wanted) return
  const data = JSON.stringify(await render())
  await writeWebhookEvent(tx, event.type, {
    from: sql`(values (1)) as one_event`,
    businessId,
    data: sql`${data}::json`,
    at: sql`${event.at}::timestamptz`,
  })
}
