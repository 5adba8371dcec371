// The audit trail: one row per create, update, delete and status change, written in the same
// transaction as the change itself.
import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const auditAction = pgEnum('audit_action', ['create', 'update', 'delete', 'status_change'])

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    // Null for platform-level entries (users, platform settings).
    businessId: uuid(),
    actorId: uuid(),
    action: auditAction().notNull(),
    entity: text().notNull(),
    entityId: text().notNull(),
    // { field: [old, new] }
    changes: jsonb().$type<Record<string, [unknown, unknown]>>().notNull(),
    requestId: text(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    index('audit_log_business_at_idx').on(table.businessId, table.at, table.id),
    index('audit_log_entity_idx').on(table.entity, table.entityId),
  ],
)
