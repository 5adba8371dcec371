// The email job: sends one outbox row's email and marks the row sent. Delivery is at least once: the
// Message-ID is derived from the row, so a message delivered twice (a crash between the SMTP answer and
// the mark) is recognizable as one.
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { errorText } from '../../platform/jobs/queue.js'
import { defineJob, type JobRegistry } from '../../platform/jobs/registry.js'
import { composeMail, type MailDeps } from '../mail/compose.js'
import type { MailTransport } from '../mail/transport.js'
import { outbox } from './tables.js'

export const sendEmail = defineJob<{ outboxId: string }>('email.send')

/** `<outbox id@sender's domain>`: stable across retries of the same row. */
export function messageIdOf(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'tessera.local'
  return `<${outboxId}@${domain}>`
}

/** The row's params without the sealed token: once the email is out, the row need not hold it. */
function withoutSecrets(params: unknown): unknown {
  if (!params || typeof params !== 'object' || !('token' in params)) return params
  const { token: _token, ...rest } = params as Record<string, unknown>
  return rest
}

export type OutboxJobDeps = MailDeps & { clock: Clock; transport: MailTransport }

export async function deliverOutboxRow(deps: OutboxJobDeps, outboxId: string): Promise<void> {
  const [row] = await deps.db.select().from(outbox).where(eq(outbox.id, outboxId))
  if (!row || row.sentAt) return
  try {
    const mail = await composeMail(deps, row.template, row.params)
    if (mail) await deps.transport.send({ ...mail, messageId: messageIdOf(row.id, deps.config.email.from) })
    await deps.db
      .update(outbox)
      .set({
        sentAt: deps.clock.now(),
        attempts: sql`${outbox.attempts} + 1`,
        lastError: mail ? null : 'nobody to send to any more',
        params: withoutSecrets(row.params),
      })
      .where(and(eq(outbox.id, row.id), isNull(outbox.sentAt)))
  } catch (error) {
    await deps.db
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, lastError: errorText(error) })
      .where(eq(outbox.id, row.id))
    throw error
  }
}

export function registerOutboxJobs(registry: JobRegistry, deps: OutboxJobDeps): void {
  registry.handle(sendEmail, ({ outboxId }) => deliverOutboxRow(deps, outboxId))
}
