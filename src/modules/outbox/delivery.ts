// Sending outbox rows, many at once: their emails composed together (sharing their reads) and sent
// side by side over the transport's connections, each row with its own outcome. A row whose email the
// server accepted (or that has nobody to send to any more) is marked done, all of them in one update; a
// row that failed gets its attempt and error recorded, and is answered to the caller for its retry.
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { errorText } from '../../platform/jobs/queue.js'
import type { Totals } from '../../platform/totals.js'
import { type MailDeps, mailComposer } from '../mail/compose.js'
import { anyId } from '../mail/queries.js'
import type { MailTransport } from '../mail/transport.js'
import { outbox } from './tables.js'

export type DeliveryDeps = MailDeps & { clock: Clock; transport: MailTransport; totals: Pick<Totals, 'add'> }

type OutboxRow = Pick<typeof outbox.$inferSelect, 'id' | 'template' | 'params' | 'attempts'>

const NOBODY = 'nobody to send to any more'

/** `<outbox id@sender's domain>`: stable across retries of the same row. */
export function messageIdOf(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'tessera.local'
  return `<${outboxId}@${domain}>`
}

/** The rows among `ids` not sent yet. */
export function unsentRows(db: Database, ids: string[]): Promise<OutboxRow[]> {
  return db
    .select({ id: outbox.id, template: outbox.template, params: outbox.params, attempts: outbox.attempts })
    .from(outbox)
    .where(and(sql`${outbox.id} = ${anyId(ids)}`, isNull(outbox.sentAt)))
}

/** A row done with: its email sent, or not sent for want of anyone to send it to. */
type Done = { row: OutboxRow; sent: boolean }
type Failure = { row: OutboxRow; error: unknown }

/** Sends the rows' emails; answers the rows that failed, with their error, once every outcome is recorded. */
export async function deliverRows(deps: DeliveryDeps, rows: OutboxRow[]): Promise<Failure[]> {
  if (rows.length === 0) return []
  const compose = mailComposer(deps)
  const done: Done[] = []
  const failures: Failure[] = []
  await Promise.all(
    rows.map(async (row) => {
      try {
        const mail = await compose(row.template, row.params)
        if (mail)
          await deps.transport.send({ ...mail, messageId: messageIdOf(row.id, deps.config.email.from) })
        done.push({ row, sent: Boolean(mail) })
      } catch (error) {
        failures.push({ row, error })
      }
    }),
  )
  await markDone(deps, done)
  await Promise.all(failures.map((failure) => markFailed(deps.db, failure)))
  deps.totals.add('emails_sent', done.filter((outcome) => outcome.sent).length)
  deps.totals.add('emails_failed', failures.length)
  return failures
}

async function markDone(deps: DeliveryDeps, done: Done[]): Promise<void> {
  if (done.length === 0) return
  const nobody = done.filter((outcome) => !outcome.sent).map(({ row }) => row.id)
  await deps.db
    .update(outbox)
    .set({
      sentAt: deps.clock.now(),
      attempts: sql`${outbox.attempts} + 1`,
      lastError: sql`case when ${outbox.id} = ${anyId(nobody)} then ${NOBODY} end`,
      // The sealed token has done its work once the email is out: the row need not hold it.
      params: sql`${outbox.params} - 'token'`,
    })
    .where(and(sql`${outbox.id} = ${anyId(done.map(({ row }) => row.id))}`, isNull(outbox.sentAt)))
}

function markFailed(db: Database, { row, error }: Failure): Promise<unknown> {
  return db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: errorText(error) })
    .where(eq(outbox.id, row.id))
}
