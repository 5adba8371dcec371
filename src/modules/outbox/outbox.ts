// Writing to the outbox: always through the transaction of the change that causes the email.
import { sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import type { MailParams, MailTemplate } from '../mail/messages.js'
import { outbox } from './tables.js'

/**
 * Adds an email to the outbox in `tx`. Secrets in `params` (a token) must be sealed by the caller:
 * the row is readable until the email is sent, when the job removes them.
 */
export async function writeEmail<T extends MailTemplate>(
  tx: Database,
  template: T,
  params: MailParams[T],
): Promise<void> {
  await tx.insert(outbox).values({ template, params })
}

/**
 * The same insert as a statement fragment, for single-statement writes (a CTE): one outbox row per row
 * of `source`, with `idColumn` as the params' `idKey`.
 */
export function outboxInsertFrom(
  template: 'booking_created' | 'reservation_created',
  idKey: 'bookingId' | 'reservationId',
  source: string,
  idColumn = 'id',
) {
  return sql.raw(
    `insert into outbox (template, params) select '${template}', jsonb_build_object('${idKey}', ${idColumn}) from ${source}`,
  )
}
