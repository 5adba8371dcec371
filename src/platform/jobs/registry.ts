// The typed job registry: a job is declared once (name and payload type) by the module that owns it,
// and that module registers its handler. The worker refuses to start while a declared job has none.

export type JobDefinition<Payload> = {
  readonly name: string
  /** Only carries the payload type; never set. */
  readonly payload?: Payload
}

export type JobContext = { id: string; attempt: number }
export type JobHandler<Payload> = (payload: Payload, job: JobContext) => Promise<void>

const declared = new Map<string, JobDefinition<unknown>>()

/** Declares a job. Names are unique across the application. */
export function defineJob<Payload>(name: string): JobDefinition<Payload> {
  if (!/^[a-z][a-z0-9_.-]*$/.test(name)) throw new Error(`bad job name "${name}"`)
  if (declared.has(name)) throw new Error(`job "${name}" is declared twice`)
  const job: JobDefinition<Payload> = { name }
  declared.set(name, job)
  return job
}

export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler<unknown>>()

  handle<Payload>(job: JobDefinition<Payload>, handler: JobHandler<Payload>): this {
    if (this.handlers.has(job.name)) throw new Error(`job "${job.name}" has two handlers`)
    this.handlers.set(job.name, handler as JobHandler<unknown>)
    return this
  }

  handlerOf(name: string): JobHandler<unknown> | undefined {
    return this.handlers.get(name)
  }

  /** Declared jobs without a handler (a worker with any of them would leave those jobs waiting forever). */
  missingHandlers(jobs: Iterable<JobDefinition<unknown>> = declared.values()): string[] {
    return [...jobs].map((job) => job.name).filter((name) => !this.handlers.has(name))
  }

  /** Throws, naming them, when a declared job has no handler. */
  assertComplete(jobs?: Iterable<JobDefinition<unknown>>): void {
    const missing = this.missingHandlers(jobs)
    if (missing.length > 0) throw new Error(`no handler registered for job(s): ${missing.join(', ')}`)
  }
}
