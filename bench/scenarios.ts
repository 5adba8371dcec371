// What `npm run bench` measures. A scenario is one request shape fired at 64 connections: either a fixed
// request, or `request(i)` for requests that must vary (i counts up across the warm-up and the run).
import type autocannon from 'autocannon'

export type BenchRequest = {
  method?: NonNullable<autocannon.Request['method']>
  path: string
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
}

export type Scenario = { name: string } & (BenchRequest | { request: (i: number) => BenchRequest })

/** What scenarios may use: a registered user's access token. */
export type BenchContext = { access: string }

export const scenarioNames = ['health', 'health-authenticated', 'ready'] as const

export function scenarios(context: BenchContext): Scenario[] {
  return [
    { name: 'health', path: '/health/' },
    // The same trivial route with a bearer token: the difference is the cost of verifying an access
    // token, which never touches the database.
    {
      name: 'health-authenticated',
      path: '/health/',
      headers: { authorization: `Bearer ${context.access}` },
    },
    // One database round trip per request: the fair comparison with the yardstick.
    { name: 'ready', path: '/health/ready/' },
  ]
}

/** A distinct, valid UUID per request number. */
export function uuidFor(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
}

// Served by bench/yardstick.ts, not by the app. Once the sessions table exists (issue 5), request the ids
// of sessions the bench seeded, so that each lookup finds its row.
export const yardstickScenario: Scenario = {
  name: 'yardstick',
  request: (i) => ({ path: `/session/${uuidFor(i)}` }),
}
