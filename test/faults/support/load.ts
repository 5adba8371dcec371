// Booking load while a service goes away and comes back: loops that book until stopped, every answer
// kept with its time, and the judgement of an outage from them.
import { expect } from 'vitest'
import type { Child } from '../../../bench/processes.js'
import { ownStack, type Stack } from './stack.js'
import {
  type Account,
  type Answer,
  call,
  dayFromNow,
  makeAccounts,
  makeOwner,
  makeSession,
  startWeb,
  startWorker,
  tally,
} from './tessera.js'

export type TimedAnswer = Answer & { sentAt: number }

/**
 * `concurrency` loops booking `session` as `customers` in turn: the n-th request is customer n mod C on
 * day 1 + n div C, so no two requests ask for the same customer and slot.
 */
export function bookingLoad(
  base: string,
  session: string,
  customers: Account[],
  concurrency: number,
): { answers: TimedAnswer[]; stop(): Promise<TimedAnswer[]> } {
  const answers: TimedAnswer[] = []
  let next = 0
  let stopping = false
  const loop = async () => {
    while (!stopping) {
      const n = next++
      const customer = customers[n % customers.length] as Account
      const sentAt = performance.now()
      const answer = await call(base, 'POST', '/api/bookings/', {
        token: customer.token,
        body: { session, booking_date: dayFromNow(1 + Math.floor(n / customers.length)) },
      })
      answers.push({ ...answer, sentAt })
      // A refusal comes back at once; without a pause the loop would only measure how fast 503s are.
      if (answer.status !== 201) await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const loops = Array.from({ length: concurrency }, loop)
  return {
    answers,
    async stop() {
      stopping = true
      await Promise.all(loops)
      return answers
    },
  }
}

export type OutageReport = {
  /** Answers by status and code, from the moment the service went away. */
  during: Record<string, number>
  /** Of those, the answers to requests sent while it was away. */
  whileAway: Record<string, number>
  /** 503s without a Retry-After header. */
  unavailableWithoutRetryAfter: number
  /** The longest wait for an answer, in seconds (a request with no answer at all counts as status 0). */
  slowestSeconds: number
  /** Seconds from the service's return to the first of an unbroken run of 201s until the end. */
  recoverySeconds: number | null
}

/**
 * Judges the answers of a load from `downAt` (the service stopped) on, given `upAt` (it answered
 * again): every answer must be 201 or a 503 with Retry-After, never a 500 or no answer at all.
 */
export function judgeOutage(answers: TimedAnswer[], downAt: number, upAt: number): OutageReport {
  const from = answers.filter((answer) => answer.sentAt >= downAt)
  const failures = from.filter((answer) => answer.status !== 201)
  const lastFailure = failures.reduce((last, answer) => Math.max(last, answer.at), upAt)
  return {
    during: tally(from),
    whileAway: tally(from.filter((answer) => answer.sentAt < upAt)),
    unavailableWithoutRetryAfter: from.filter(
      (answer) => answer.status === 503 && !answer.headers.get('retry-after'),
    ).length,
    slowestSeconds: from.reduce((slowest, answer) => Math.max(slowest, answer.at - answer.sentAt), 0) / 1000,
    recoverySeconds: from.some((answer) => answer.status === 201 && answer.at > lastFailure)
      ? Math.max(0, lastFailure - upAt) / 1000
      : null,
  }
}

export type OutageRun = { report: OutageReport; answers: TimedAnswer[]; downSeconds: number }

/**
 * Books under load for 2 s, takes the service away (`breakIt`), waits `downMs`, brings it back
 * (`restore` resolves once it answers again) and goes on for `afterMs`; prints and returns the judgement.
 */
export async function outageUnderLoad(options: {
  what: string
  base: string
  session: string
  customers: Account[]
  concurrency: number
  breakIt: () => Promise<void> | void
  restore: () => Promise<void> | void
  downMs: number
  afterMs: number
}): Promise<OutageRun> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const load = bookingLoad(options.base, options.session, options.customers, options.concurrency)
  await sleep(2000)
  const before = load.answers.length
  const downAt = performance.now()
  await options.breakIt()
  await sleep(options.downMs)
  await options.restore()
  const upAt = performance.now()
  await sleep(options.afterMs)
  const answers = await load.stop()
  const report = judgeOutage(answers, downAt, upAt)
  const downSeconds = (upAt - downAt) / 1000
  console.log(
    `${options.what}: ${before} bookings before; away ${downSeconds.toFixed(1)} s; from then on ${JSON.stringify(report.during)}, ` +
      `of which sent while it was away ${JSON.stringify(report.whileAway)}; ` +
      `503 without Retry-After: ${report.unavailableWithoutRetryAfter}; slowest answer ${report.slowestSeconds.toFixed(1)} s; ` +
      `recovered ${report.recoverySeconds === null ? 'never' : `${report.recoverySeconds.toFixed(1)} s`} after it was back`,
  )
  return { report, answers, downSeconds }
}

/** The promise of an outage: only 201s and 503s with Retry-After, and bookings again within 10 s. */
export function expectOutageRidden(report: OutageReport): void {
  expect(
    Object.keys(report.during).filter((key) => !['201', '503 service_unavailable'].includes(key)),
  ).toEqual([])
  expect(report.unavailableWithoutRetryAfter).toBe(0)
  expect(report.recoverySeconds).not.toBeNull()
  expect(report.recoverySeconds).toBeLessThanOrEqual(10)
}

export type BookingDeployment = {
  stack: Stack
  web: Child
  worker: Child
  customers: Account[]
  /** A session of 10,000 seats, so the load never fills a slot. */
  session: string
}

/** A web process and a worker on a stack of their own, 300 customers and a session to book. */
export async function bookingDeployment(options: { ownPostgres?: boolean } = {}): Promise<BookingDeployment> {
  const stack = await ownStack({}, options)
  const web = await startWeb(stack.env)
  const worker = await startWorker(stack.env)
  const customers = await makeAccounts(stack.database, 300)
  const owner = await makeOwner(web.url)
  const session = await makeSession(web.url, owner.token, 10_000)
  return { stack, web, worker, customers, session }
}
