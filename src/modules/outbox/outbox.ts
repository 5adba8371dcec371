// Writing to the outbox: always through the transaction of the change that causes the email.
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { jsonbObject, literal } from '../../platform/db/literals.js'
import type { MailParams, MailTemplate } from '../mail/messages.js'
import { outbox } from './tables.js'

/** The one insert of outbox rows: writeEmail runs it for one email, outboxInsertFrom per row of `from`. */
function outboxInsert(template: MailTemplate, params: SQL, from?: string): SQL {
  return sql`insert into ${outbox} (template, params) select ${literal(template)}, ${params}
    ${from ? sql`from ${sql.identifier(from)}` : sql``}`
}

/**
 * Adds an email to the outbox in `tx`. Secrets in `params` (a token) must be sealed by the caller:
 * the row is readable until the email is sent, when the job removes them.
 */
export async function writeEmail<T extends MailTemplate>(
  tx: Database,
  template: T,
  params: MailParams[T],
): Promise<void> {
  await tx.execute(outboxInsert(template, sql`${JSON.stringify(params)}::jsonb`))
}

/**
 * The same insert as a statement fragment, for single-statement writes (a CTE): one email per row of
 * `from` (the name of the CTE holding the written rows), with params that are expressions over it.
 */
export function outboxInsertFrom<T extends MailTemplate>(
  template: T,
  params: Record<keyof MailParams[T], SQL>,
  from: string,
): SQL {
  return outboxInsert(template, jsonbObject(params), from)
}
