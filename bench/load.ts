// Drives one scenario with autocannon: a warm-up whose figures are dropped, then the measured run.
import autocannon from 'autocannon'
import type { BenchRequest, Scenario } from './scenarios.js'

export type LoadOptions = { warmup: number; duration: number; connections: number }

export type Measurement = {
  scenario: string
  connections: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Non-2xx answers plus socket errors (timeouts included). */
  errors: number
  non2xx: number
  socketErrors: number
  timeouts: number
  requests: number
  statusCodes: Record<string, number>
}

let running: autocannon.Instance | null = null

/** Ends the run in progress early (Ctrl-C). */
export function stopLoad(): void {
  running?.stop()
}

function toRequest(request: BenchRequest): autocannon.Request {
  const headers: Record<string, string> = { ...request.headers }
  let body: string | undefined
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body)
    headers['content-type'] ??= 'application/json'
  }
  return { method: request.method ?? 'GET', path: request.path, headers, ...(body ? { body } : {}) }
}

function fire(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    running = autocannon(options, (error, result) => {
      running = null
      if (error) reject(error)
      else resolve(result)
    })
  })
}

export async function measure(baseUrl: string, scenario: Scenario, load: LoadOptions): Promise<Measurement> {
  let i = 0
  const requests: autocannon.Request[] =
    'request' in scenario
      ? [{ setupRequest: (request) => ({ ...request, ...toRequest(scenario.request(i++)) }) }]
      : [toRequest(scenario)]
  const options = { url: baseUrl, connections: scenario.connections ?? load.connections, requests }
  if (load.warmup > 0) await fire({ ...options, duration: load.warmup })
  const result = await fire({ ...options, duration: load.duration })
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  )
  return {
    scenario: scenario.name,
    connections: options.connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    requests: result.requests.total,
    statusCodes,
  }
}
