// Webhooks: a business's endpoints, the events written in the transaction of each change, and one
// delivery row per attempt to send an event to an endpoint (a pending row is the attempt to come).
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  index,
  integer,
  json,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { auditedColumns, businesses } from '../businesses/tables.js'

/** What an endpoint may be sent: the changes that write webhook events. */
export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.status_changed',
  'reservation.created',
  'reservation.status_changed',
  'session.created',
  'session.updated',
  'session.deleted',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    description: text().notNull().default(''),
    // The event types it is sent, a non-empty subset of WEBHOOK_EVENTS.
    events: text().array().$type<WebhookEventType[]>().notNull(),
    isActive: boolean().notNull().default(true),
    // The signing secret (`whsec_…`), sealed with a key derived from SECRET_KEY.
    secretSealed: text().notNull(),
    // The first failed attempt since the last success: five days of failing deactivate the endpoint.
    failingSince: timestamp({ withTimezone: true }),
    ...auditedColumns(),
  },
  // Every change looks up the live, active endpoints of its business; the list reads its live ones.
  (table) => [
    index('webhook_endpoints_business_idx').on(table.businessId).where(sql`not ${table.isDeleted}`),
  ],
)

export const webhookEvents = pgTable(
  'webhook_events',
  {
    // Also the `webhook-id` every attempt sends: receivers recognize a repeated event by it.
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    type: text().$type<WebhookEventType>().notNull(),
    // The object as the API rendered it at the time of the event; json, not jsonb, keeps its key order.
    data: json().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  // The schedule's sweep of old events.
  (table) => [index('webhook_events_created_idx').on(table.createdAt)],
)

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const
export const deliveryStatus = pgEnum('webhook_delivery_status', DELIVERY_STATUSES)

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    // The listing's newest-first order: attempts written in the same instant still come in order.
    seq: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid()
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    status: deliveryStatus().notNull().default('pending'),
    // When a pending attempt may be made (the backoff); the time of a made one is attemptedAt.
    dueAt: timestamp({ withTimezone: true }).notNull(),
    // Handed to the queue, and the queue's generation, as the email outbox does (outbox/tables.ts).
    dispatchedAt: timestamp({ withTimezone: true }),
    dispatchedTo: text(),
    attemptedAt: timestamp({ withTimezone: true }),
    responseStatus: integer(),
    durationMs: integer(),
    error: text(),
  },
  (table) => [
    // The dispatcher's due attempts.
    index('webhook_deliveries_pending_idx').on(table.dueAt).where(sql`${table.status} = 'pending'`),
    // An endpoint's attempts, newest first.
    index('webhook_deliveries_endpoint_idx').on(table.endpointId, table.seq),
    index('webhook_deliveries_event_idx').on(table.eventId),
  ],
)
