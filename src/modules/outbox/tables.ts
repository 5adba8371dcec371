// The transactional outbox: an email to send, written in the same transaction as the change that causes
// it. A row leaves the backlog only when the mail job marks it sent, so a crash, a Redis outage or a
// refusing SMTP server delays a message but never loses it.
import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const outbox = pgTable(
  'outbox',
  {
    // Also the queue's job id and the Message-ID of the email: a duplicate delivery is recognizable.
    id: uuid().primaryKey().defaultRandom(),
    template: text().notNull(),
    params: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // Handed to the queue; a row handed over long ago and still unsent is handed over again.
    dispatchedAt: timestamp({ withTimezone: true }),
    // The queue's generation it was handed to (JobQueue.generation): a queue that lost its jobs (Redis
    // restarted empty, an in-process queue that restarted) has a new one, and its rows are due again.
    dispatchedTo: text(),
    sentAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  // Unsent rows by hand-over time: the dispatcher's due rows (never handed over, or long ago) are two
  // ranges of it, and rows in flight are skipped without being read.
  (table) => [
    index('outbox_unsent_idx').on(table.dispatchedAt).where(sql`${table.sentAt} is null`),
    // The schedule's sweep of emails sent long ago.
    index('outbox_sent_idx').on(table.sentAt).where(sql`${table.sentAt} is not null`),
  ],
)
