// One contract, both queues: the in-process queue always, BullMQ on the machine's Redis when REDIS_URL
// is set. Retries with backoff, the failed list, retry, idempotent ids, repeating jobs, close.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { bullmqQueue } from '../../../src/platform/jobs/bullmq.js'
import { inProcessQueue } from '../../../src/platform/jobs/in-process.js'
import { backoffDelay, type JobQueue, type RetryPolicy } from '../../../src/platform/jobs/queue.js'
import { defineJob, JobRegistry } from '../../../src/platform/jobs/registry.js'
import { eventually } from '../../helpers/jobs.js'

const silent = { warn: () => {}, error: () => {} }
const policy: RetryPolicy = { attempts: 3, backoffMs: 40 }

const implementations: [string, () => JobQueue][] = [['in-process', () => inProcessQueue(policy, silent)]]
const redisUrl = process.env.REDIS_URL
if (redisUrl)
  implementations.push([
    'bullmq',
    () =>
      bullmqQueue({
        url: redisUrl,
        name: `test-queue-${randomUUID()}`,
        policy,
        stalledAfterMs: 5000,
        log: silent,
      }),
  ])

const echo = defineJob<{ value: number }>('test.echo')
const flaky = defineJob<{ failures: number; key: string }>('test.flaky')
const tick = defineJob<Record<string, never>>('test.tick')

describe('backoffDelay', () => {
  it('doubles after each failed try', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay({ attempts: 5, backoffMs: 100 }, attempt))).toEqual([
      100, 200, 400, 800,
    ])
  })
})

describe('JobRegistry', () => {
  it('names the declared jobs that have no handler, and refuses to be used incomplete', () => {
    const lonely = defineJob<{ a: number }>('test.lonely')
    const registry = new JobRegistry().handle(echo, async () => {})
    expect(registry.missingHandlers([echo, lonely])).toEqual(['test.lonely'])
    expect(() => registry.assertComplete([echo, lonely])).toThrow(/test\.lonely/)
    expect(() => registry.handle(echo, async () => {})).toThrow(/two handlers/)
    expect(() => defineJob('test.echo')).toThrow(/declared twice/)
  })
})

describe.each(implementations)('%s queue', (_name, open) => {
  let queue: JobQueue
  afterEach(async () => {
    await queue?.close()
  })

  it('runs added jobs with their payload', async () => {
    queue = open()
    const seen: number[] = []
    await queue.process(
      new JobRegistry().handle(echo, async ({ value }) => {
        seen.push(value)
      }),
      2,
    )
    await Promise.all([1, 2, 3].map((value) => queue.add(echo, { value })))
    await eventually('the three jobs run', () => seen.length === 3)
    expect(seen.sort()).toEqual([1, 2, 3])
  })

  it('retries a failing job with growing waits until it succeeds', async () => {
    queue = open()
    const tries: number[] = []
    await queue.process(
      new JobRegistry().handle(flaky, async ({ failures }, job) => {
        tries.push(Date.now())
        if (job.attempt <= failures) throw new Error(`try ${job.attempt} fails`)
      }),
      1,
    )
    await queue.add(flaky, { failures: 2, key: 'a' })
    await eventually('three tries', () => tries.length === 3)
    await eventually(
      'nothing failed or delayed',
      async () => (await queue.counts()).failed === 0 && (await queue.counts()).delayed === 0,
    )
    const [first = 0, second = 0, third = 0] = tries
    expect(second - first).toBeGreaterThanOrEqual(policy.backoffMs - 5)
    expect(third - second).toBeGreaterThanOrEqual(2 * policy.backoffMs - 5)
    expect(await queue.failed(10)).toEqual([])
  })

  it('keeps a job that used up its attempts as failed, with its error, and retries it on demand', async () => {
    queue = open()
    let healthy = false
    let runs = 0
    await queue.process(
      new JobRegistry().handle(flaky, async () => {
        runs += 1
        if (!healthy) throw new Error('smtp refused')
      }),
      1,
    )
    await queue.add(flaky, { failures: 99, key: 'dead' }, { id: 'dead-letter-1' })
    await eventually('the job failed for good', async () => (await queue.counts()).failed === 1)
    expect(runs).toBe(policy.attempts)
    const [failed] = await queue.failed(10)
    expect(failed).toMatchObject({
      id: 'dead-letter-1',
      name: 'test.flaky',
      payload: { failures: 99, key: 'dead' },
      attempts: policy.attempts,
      error: 'smtp refused',
    })
    expect(failed?.failed_at).toMatch(/^\d{4}-/)

    healthy = true
    expect(await queue.retry('dead-letter-1')).toBe(true)
    await eventually('the retried run', () => runs === policy.attempts + 1)
    await eventually(
      'nothing failed or running',
      async () => (await queue.counts()).failed === 0 && (await queue.counts()).active === 0,
    )
    expect(await queue.retry('dead-letter-1')).toBe(false)
    expect(await queue.retry('never-was')).toBe(false)
  })

  it('does not add a job whose id is already queued', async () => {
    queue = open()
    await queue.add(echo, { value: 1 }, { id: 'same' })
    await queue.add(echo, { value: 2 }, { id: 'same' })
    expect((await queue.counts()).waiting).toBe(1)
    const seen: number[] = []
    await queue.process(
      new JobRegistry().handle(echo, async ({ value }) => {
        seen.push(value)
      }),
      1,
    )
    await eventually('the one job run', () => seen.length === 1)
    expect(seen).toEqual([1])
  })

  it('holds a job added with a delay as delayed until its first try is due', async () => {
    queue = open()
    const ran: number[] = []
    await queue.process(
      new JobRegistry().handle(echo, async () => {
        ran.push(Date.now())
      }),
      1,
    )
    const added = Date.now()
    await queue.add(echo, { value: 1 }, { id: 'later', delayMs: 300 })
    await queue.add(echo, { value: 2 }, { id: 'later', delayMs: 300 })
    expect(await queue.counts()).toMatchObject({ waiting: 0, delayed: 1 })
    await eventually('the delayed job run', () => ran.length === 1)
    expect((ran[0] ?? 0) - added).toBeGreaterThanOrEqual(295)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(ran).toHaveLength(1)
  })

  it('repeats a scheduled job until it is unscheduled', async () => {
    queue = open()
    let ticks = 0
    await queue.process(
      new JobRegistry().handle(tick, async () => {
        ticks += 1
      }),
      1,
    )
    await queue.every(tick, {}, 100)
    await eventually('two ticks', () => ticks >= 2, 3000)
    await queue.unschedule(tick)
    await new Promise((resolve) => setTimeout(resolve, 150))
    const stopped = ticks
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(ticks).toBe(stopped)
  })

  it('lets a running job finish when closed', async () => {
    queue = open()
    let finished = false
    let started = false
    await queue.process(
      new JobRegistry().handle(echo, async () => {
        started = true
        await new Promise((resolve) => setTimeout(resolve, 200))
        finished = true
      }),
      1,
    )
    await queue.add(echo, { value: 1 })
    await eventually('the job started', () => started)
    await queue.close()
    expect(finished).toBe(true)
  })
})
