// The schedule's job: the worker adds a tick at every interval, and each tick runs one pass.
import { defineJob, type JobRegistry } from '../../platform/jobs/registry.js'
import { runSchedule, type ScheduleDeps } from './schedule.js'

export const scheduleTick = defineJob<Record<string, never>>('schedule.tick')

export type AutomationDeps = ScheduleDeps & { log?: { info(obj: object, msg: string): void } }

export function registerAutomationJobs(registry: JobRegistry, deps: AutomationDeps): void {
  registry.handle(scheduleTick, async () => {
    const done = await runSchedule(deps)
    // Most ticks find nothing to do; only those that did something are worth a line.
    if (done.completed + done.cancelled + done.reminded > 0) deps.log?.info(done, 'schedule pass')
  })
}
