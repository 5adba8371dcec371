// The schedule's job: the worker adds a tick at every interval, and each tick runs one pass of the
// schedule, then sweeps what has expired (credentials, invitations, emails sent long ago, the answers
// kept for Idempotency-Key, webhook events a month old).
import { defineJob, type JobRegistry } from '../../platform/jobs/registry.js'
import { sweepExpiredCredentials } from '../accounts/sweep.js'
import { sweepExpiredInvitations } from '../businesses/invitations.js'
import { sweepExpiredIdempotencyKeys } from '../idempotency/sweep.js'
import { sweepSentEmails } from '../outbox/sweep.js'
import { sweepWebhookEvents } from '../webhooks/sweep.js'
import { runSchedule, type ScheduleDeps } from './schedule.js'

export const scheduleTick = defineJob<Record<string, never>>('schedule.tick')

export type AutomationDeps = ScheduleDeps & { log?: { info(obj: object, msg: string): void } }

export function registerAutomationJobs(registry: JobRegistry, deps: AutomationDeps): void {
  registry.handle(scheduleTick, async () => {
    const done = await runSchedule(deps)
    const now = deps.clock.now()
    const swept =
      (await sweepExpiredCredentials(deps.db, now)) +
      (await sweepExpiredInvitations(deps.db, now)) +
      (await sweepSentEmails(deps.db, now)) +
      (await sweepWebhookEvents(deps.db, now)) +
      (await sweepExpiredIdempotencyKeys(deps.db, now))
    // Most ticks find nothing to do; only those that did something are worth a line.
    if (Object.values(done).some((count) => count > 0) || swept > 0)
      deps.log?.info({ ...done, swept }, 'schedule pass')
  })
}
