// The cluster's metrics: a web process asks the primary, the primary asks every web process, and the
// asker sums their reports. The IPC channels here are in-memory stand-ins for node:cluster's.
import { spawn } from 'node:child_process'
import type { Worker } from 'node:cluster'
import { EventEmitter, once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  answerReports,
  type Channel,
  GATHER_MS,
  gatherReports,
  relayMetrics,
} from '../../../src/modules/metrics/cluster.js'
import { usesPostgres } from '../../helpers/app.js'
import { eventually } from '../../helpers/jobs.js'
import { createDatabase, dropDatabase } from '../../helpers/postgres.js'

/** A primary with `count` web processes: each one's channel, wired to the primary through IPC stand-ins. */
function fakeCluster(count: number) {
  const primary = Object.assign(new EventEmitter(), { workers: {} as NodeJS.Dict<Worker> })
  const channels: Channel[] = []
  for (let id = 1; id <= count; id++) {
    const channel = new EventEmitter() as EventEmitter & Channel
    const worker = {
      isConnected: () => true,
      send: (message: unknown) => queueMicrotask(() => channel.emit('message', message)),
    } as unknown as Worker
    channel.send = (message) => queueMicrotask(() => primary.emit('message', worker, message))
    primary.workers[id] = worker
    channels.push(channel)
  }
  relayMetrics(primary)
  return channels
}

/** One web process's own metrics: `requests` requests of 10 ms, and a total. */
function processRegistry(requests: number) {
  const registry = new Registry()
  const durations = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'h',
    labelNames: ['route'],
    buckets: [0.1],
    registers: [registry],
  })
  for (let i = 0; i < requests; i++) durations.observe({ route: '/health/' }, 0.01)
  new Counter({ name: 'tessera_bookings_created_total', help: 'h', registers: [registry] }).inc(requests)
  return registry
}

const sample = (text: string, line: string) => text.split('\n').find((row) => row.startsWith(line))

afterEach(() => {
  vi.useRealTimers()
})

describe('metrics across the web processes of a cluster', () => {
  it("sums every process's report, whichever process asks", async () => {
    const channels = fakeCluster(3)
    channels.forEach((channel, index) => {
      const registry = processRegistry(index + 1)
      answerReports(channel, () => registry.getMetricsAsJSON())
    })
    const [, asker] = channels
    const reports = await gatherReports(asker as Channel)
    expect(reports).toHaveLength(3)
    const text = await AggregatorRegistry.aggregate(reports as object[]).metrics()
    expect(sample(text, 'tessera_http_request_duration_seconds_count{route="/health/"}')).toMatch(/ 6$/)
    expect(sample(text, 'tessera_bookings_created_total')).toMatch(/ 6$/)
  })

  it('answers with the reports that came in time when a process does not answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const channels = fakeCluster(2)
    const [first, silent] = channels as [Channel, Channel]
    answerReports(first, () => processRegistry(2).getMetricsAsJSON())
    answerReports(silent, () => new Promise(() => {}))
    const gathered = gatherReports(first)
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(await gathered).toHaveLength(1)
  })

  it('gives up on a primary that does not answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const channel = Object.assign(new EventEmitter(), { send: () => true }) as EventEmitter & Channel
    const gathered = gatherReports(channel)
    const failed = expect(gathered).rejects.toThrow('the cluster primary did not answer')
    await vi.advanceTimersByTimeAsync(GATHER_MS + 1000)
    await failed
    expect(channel.listenerCount('message')).toBe(0)
  })

  it('stops answering once told to', async () => {
    const channel = new EventEmitter() as EventEmitter & Channel
    const stop = answerReports(channel, async () => [])
    expect(channel.listenerCount('message')).toBe(1)
    stop()
    expect(channel.listenerCount('message')).toBe(0)
  })
})

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

/** GET on a connection of its own, so that the cluster hands each request to the next web process. */
function getText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}

// WEB_CONCURRENCY above 1 needs PostgreSQL (the embedded database has a single owner).
describe.skipIf(!usesPostgres)('npm start with WEB_CONCURRENCY=2', () => {
  it("counts every web process's requests in each scrape", { timeout: 120_000 }, async () => {
    const databaseUrl = await createDatabase(process.env.DATABASE_URL as string)
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cluster-'))
    const port = await freePort()
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_CONCURRENCY: '2',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SCHEDULER: 'false',
    }
    delete env.REDIS_URL
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'server'], {
      env,
      stdio: 'ignore',
    })
    const base = `http://127.0.0.1:${port}`
    try {
      await eventually(
        'the web processes to serve',
        () => getText(`${base}/health/`).catch(() => null),
        60_000,
      )
      // Until both processes serve, a scrape could miss the second one's report: wait for two reports.
      await eventually(
        'two web processes reporting',
        async () => {
          const { body } = await getText(`${base}/metrics`)
          return /^tessera_web_processes 2$/m.test(body)
        },
        60_000,
      )
      const before = await healthCount(base)
      const requests = 20
      for (let i = 0; i < requests; i++) expect((await getText(`${base}/health/`)).status).toBe(200)
      for (let scrape = 0; scrape < 4; scrape++) expect(await healthCount(base)).toBe(before + requests)
    } finally {
      server.kill('SIGTERM')
      if (server.exitCode === null) await once(server, 'exit')
      rmSync(dataDir, { recursive: true, force: true })
      await dropDatabase(databaseUrl)
    }
  })
})

async function healthCount(base: string): Promise<number> {
  const { status, body } = await getText(`${base}/metrics`)
  expect(status).toBe(200)
  const line = body
    .split('\n')
    .find((row) =>
      row.startsWith(
        'tessera_http_request_duration_seconds_count{route="/health/",method="GET",status_code="200"}',
      ),
    )
  return Number(line?.split(' ').pop() ?? 0)
}
