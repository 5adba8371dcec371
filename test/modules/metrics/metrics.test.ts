// GET /metrics: Prometheus' text format, request durations by route pattern, the totals, the backlog
// gauges, who may scrape, and a scrape that still answers while its dependencies do not.
import type { InjectOptions } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../../src/app.js'
import { openPostgres } from '../../../src/platform/db/index.js'
import { makeUser } from '../../helpers/accounts.js'
import { testConfig, usesPostgres, useTestApp } from '../../helpers/app.js'
import { book, makeSession } from '../../helpers/factories.js'
import { eventually, useWorker } from '../../helpers/jobs.js'

type Sample = { name: string; labels: Record<string, string>; value: number }

// Values as Go's ParseFloat reads them, as Prometheus does (prom-client writes NaN as "Nan").
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** Parses the text exposition format, failing on any line that is neither a comment nor a sample. */
function parse(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue
    const match = SAMPLE.exec(line)
    if (!match) throw new Error(`not a sample: ${line}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, k, v]) => [k, v]))
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) })
  }
  return samples
}

async function scrape(app: App, options: InjectOptions = {}) {
  const response = await app.inject({ url: '/metrics', ...options })
  expect(response.statusCode, response.body).toBe(200)
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
  return parse(response.body)
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
  )?.value

const ctx = useTestApp()
useWorker(() => ctx.app)

describe('GET /metrics', () => {
  it('times each request under its route pattern, method and status, never its URL', async () => {
    const id = '6f1c2a52-0000-4000-8000-000000000001'
    expect((await ctx.app.inject({ url: `/api/sessions/${id}/` })).statusCode).toBe(404)
    expect((await ctx.app.inject({ url: '/no/such/page-xyz/' })).statusCode).toBe(404)
    const response = await ctx.app.inject({ url: '/metrics' })
    const samples = await scrape(ctx.app)
    const count = 'tessera_http_request_duration_seconds_count'
    const route = { route: '/api/sessions/:id/', method: 'GET', status_code: '404' }
    expect(value(samples, count, route)).toBeGreaterThanOrEqual(1)
    expect(value(samples, 'tessera_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(
      value(samples, count, route),
    )
    expect(value(samples, count, { route: 'unmatched', method: 'GET', status_code: '404' })).toBeGreaterThan(
      0,
    )
    expect(value(samples, count, { route: '/metrics', status_code: '200' })).toBeGreaterThan(0)
    expect(response.body).not.toContain(id)
    expect(response.body).not.toContain('page-xyz')
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(value(samples, 'tessera_web_processes')).toBe(1)
  })

  it('counts bookings made, and the emails that the jobs (the worker, with Redis) send about them', async () => {
    const creator = await makeUser(ctx.app, { role: 'creator' })
    const customer = await makeUser(ctx.app)
    const session = await makeSession(ctx.app, creator)
    const total = async (name: string) => value(await scrape(ctx.app), name) ?? Number.NaN
    await eventually('the outbox emptied', async () => (await total('tessera_outbox_unsent_emails')) === 0)
    const [booked, sent] = [
      await total('tessera_bookings_created_total'),
      await total('tessera_emails_sent_total'),
    ]
    await book(ctx.app, customer, session.id, new Date(Date.now() + 30 * 86_400_000).toISOString())
    expect(await total('tessera_bookings_created_total')).toBe(booked + 1)
    await eventually('the booking email sent', async () => (await total('tessera_emails_sent_total')) > sent)
    expect(await total('tessera_reservations_created_total')).toBeGreaterThanOrEqual(0)
    expect(await total('tessera_emails_failed_total')).toBe(0)
  })

  it('reports the outbox backlog, the queue by state and, on PostgreSQL, the connection pool', async () => {
    const samples = await scrape(ctx.app)
    expect(value(samples, 'tessera_outbox_unsent_emails')).toBeGreaterThanOrEqual(0)
    expect(value(samples, 'tessera_outbox_failing_emails')).toBeGreaterThanOrEqual(0)
    expect(value(samples, 'tessera_outbox_oldest_unsent_age_seconds')).toBeGreaterThanOrEqual(0)
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(value(samples, 'tessera_queue_jobs', { state })).toBeGreaterThanOrEqual(0)
    const pool = value(samples, 'tessera_db_pool_connections')
    if (usesPostgres) {
      expect(pool).toBeGreaterThanOrEqual(1)
      expect(value(samples, 'tessera_db_pool_waits_total')).toBeGreaterThanOrEqual(0)
    } else expect(pool).toBeUndefined()
  })

  it('stays out of the OpenAPI document', async () => {
    const document = (await ctx.app.inject({ url: '/api/schema/' })).json()
    expect(Object.keys(document.paths)).not.toContain('/metrics')
  })
})

describe('who may scrape', () => {
  it('without METRICS_TOKEN: loopback clients only, whatever X-Forwarded-For says', async () => {
    expect((await ctx.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200)
    const away = await ctx.app.inject({
      url: '/metrics',
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    })
    expect(away.statusCode).toBe(403)
    expect(away.json()).toMatchObject({ code: 'permission_denied', message: expect.any(String) })
  })

  describe('with METRICS_TOKEN', () => {
    const token = 'metrics-token-0123456789abcdef'
    const guarded = useTestApp({ config: { METRICS_TOKEN: token } })
    const get = (headers: Record<string, string>, remoteAddress = '10.1.2.3') =>
      guarded.app.inject({ url: '/metrics', headers, remoteAddress })

    it('answers the bearer of the token, from anywhere', async () => {
      expect((await get({ authorization: `Bearer ${token}` })).statusCode).toBe(200)
    })

    it('refuses a missing or wrong token with 401, even from loopback', async () => {
      const missing = await get({}, '127.0.0.1')
      expect(missing.statusCode).toBe(401)
      expect(missing.json()).toMatchObject({ code: 'not_authenticated' })
      for (const wrong of [`${token}x`, token.slice(0, -1), 'x']) {
        const refused = await get({ authorization: `Bearer ${wrong}` })
        expect(refused.statusCode).toBe(401)
        expect(refused.json()).toMatchObject({ code: 'token_invalid' })
      }
      expect((await get({ authorization: `Basic ${token}` })).statusCode).toBe(401)
    })

    it("refuses a user's access token, and leaves the API's bearer authentication as it was", async () => {
      const user = await makeUser(guarded.app)
      expect((await get(user.auth)).statusCode).toBe(401)
      const me = await guarded.app.inject({ url: '/api/auth/profile/', headers: user.auth })
      expect(me.statusCode, me.body).toBe(200)
      const refused = await guarded.app.inject({
        url: '/api/auth/profile/',
        headers: { authorization: `Bearer ${token}` },
      })
      expect(refused.statusCode).toBe(401)
    })
  })
})

describe('a scrape while its dependencies are away', () => {
  let broken: App | undefined
  afterEach(async () => {
    await broken?.close()
    broken = undefined
  })

  it('answers in time, leaving out what the database and Redis did not give', async () => {
    const config = testConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
      REDIS_URL: 'redis://127.0.0.1:1',
      READINESS_TIMEOUT: '200',
    })
    broken = await buildApp(config, {
      database: openPostgres(config.databaseUrl as string, 1),
      webBuildDir: null,
    })
    const started = Date.now()
    const samples = await scrape(broken)
    expect(Date.now() - started).toBeLessThan(3000)
    const names = new Set(samples.map((sample) => sample.name))
    for (const gone of [
      'tessera_outbox_unsent_emails',
      'tessera_queue_jobs',
      'tessera_bookings_created_total',
    ])
      expect(names).not.toContain(gone)
    expect(names).toContain('tessera_db_pool_connections')
    expect(names).toContain('process_resident_memory_bytes')
  })
})
