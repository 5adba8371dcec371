import { afterEach, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../src/app.js'
import { openPostgres } from '../../src/platform/db/index.js'
import { testConfig, useTestApp } from '../helpers/app.js'

const ctx = useTestApp()

describe('GET /health/', () => {
  it('answers a plain ok outside the envelope', async () => {
    const response = await ctx.app.inject({ url: '/health/' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok' })
  })
})

describe('GET /health/ready/', () => {
  let unreachable: App | undefined
  afterEach(async () => {
    await unreachable?.close()
    unreachable = undefined
  })

  it('answers 200 when the database (and Redis, when configured) answer', async () => {
    const response = await ctx.app.inject({ url: '/health/ready/' })
    expect(response.statusCode).toBe(200)
    const expected: Record<string, string> = { database: 'ok' }
    if (process.env.REDIS_URL) expected.redis = 'ok'
    expect(response.json()).toMatchObject({ status: 'ok', failing: [], checks: expected })
    expect(Object.keys(response.json().checks).sort()).toEqual(Object.keys(expected).sort())
  })

  it('reports the backlog: unsent emails and the job queue', async () => {
    const { backlog } = (await ctx.app.inject({ url: '/health/ready/' })).json()
    expect(backlog.outbox).toEqual({
      unsent: expect.any(Number),
      failing: expect.any(Number),
      oldest_unsent_at: backlog.outbox.unsent > 0 ? expect.any(String) : null,
    })
    expect(backlog.queue).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
    })
  })

  it('answers 503 naming the database when it is unreachable', async () => {
    const config = testConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
      REDIS_URL: undefined,
    })
    unreachable = await buildApp(config, {
      database: openPostgres(config.databaseUrl as string, 1),
      redis: null,
    })
    const response = await unreachable.inject({ url: '/health/ready/' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({ status: 'unavailable', failing: ['database'] })
    expect(response.json().checks.database).toMatch(/unreachable/)
  })

  it('answers 503 naming Redis when it is configured but unreachable', async () => {
    const config = testConfig({ REDIS_URL: 'redis://127.0.0.1:1', READINESS_TIMEOUT: '300' })
    unreachable = await buildApp(config, { database: ctx.app.deps.database })
    const response = await unreachable.inject({ url: '/health/ready/' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      failing: ['redis'],
      checks: { database: 'ok' },
    })
  })
})
