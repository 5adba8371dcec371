import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { badRequest } from '../src/platform/errors.js'
import { Envelope, ok } from '../src/platform/http/envelope.js'
import { useTestApp } from './helpers/app.js'

const Widget = Type.Object({
  name: Type.String({ minLength: 1 }),
  price: Type.Number({ minimum: 0 }),
  size: Type.Integer(),
})

const ctx = useTestApp({
  setup(app) {
    app.post(
      '/api/test/widgets/',
      { schema: { body: Widget, response: { 201: Envelope(Widget) } } },
      async (request, reply) => reply.code(201).send(ok(request.body, 'Widget created')),
    )
    app.get('/api/test/boom/', async () => {
      throw new Error('secret internals: password=hunter2')
    })
    app.get('/api/test/saturated/', async () => {
      throw new Error('Failed query: select 1', {
        cause: new Error('timeout exceeded when trying to connect'),
      })
    })
    app.get('/api/test/database-restarting/', async () => {
      throw new Error('Failed query: select 1', {
        cause: Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      })
    })
    app.get('/api/test/redis-down/', async () => {
      throw Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
        name: 'MaxRetriesPerRequestError',
      })
    })
    app.get('/api/test/deadlock/', async () => {
      throw new Error('Failed query (SQLSTATE 40P01)', {
        cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
      })
    })
    app.get('/api/test/refused/', async () => {
      throw badRequest('No widgets today.')
    })
  },
})

const json = { 'content-type': 'application/json' }

describe('envelope and errors', () => {
  it('wraps a success in { data, message }', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/widgets/',
      headers: json,
      payload: { name: 'a', price: 1.5, size: 2, extra: 'ignored' },
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toEqual({ data: { name: 'a', price: 1.5, size: 2 }, message: 'Widget created' })
  })

  it('lists every invalid field, not only the first', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/widgets/',
      headers: json,
      payload: { name: '', price: -1 },
    })
    expect(response.statusCode).toBe(400)
    const body = response.json()
    expect(body).toMatchObject({ code: 'validation_error', message: 'Validation failed' })
    expect(Object.keys(body.errors).sort()).toEqual(['name', 'price', 'size'])
    expect(body.errors.size).toEqual(['This field is required.'])
    expect(body.errors.price[0]).toMatch(/>= 0/)
  })

  it('renders catalogue errors with their code', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/test/refused/' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ message: 'No widgets today.', code: 'bad_request' })
  })

  it('answers 400 bad_request to malformed JSON', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/widgets/',
      headers: json,
      payload: '{"name": ',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('bad_request')
  })

  it('answers 413 to a body over 1 MiB', async () => {
    const payload = JSON.stringify({ name: 'x'.repeat(1024 * 1024), price: 1, size: 1 })
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/widgets/',
      headers: json,
      payload,
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().code).toBe('payload_too_large')
  })

  it('answers 415 to a body that is not JSON', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/test/widgets/',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=a',
    })
    expect(response.statusCode).toBe(415)
    expect(response.json().code).toBe('unsupported_media_type')
  })

  it('answers 404 not_found to an unknown route', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/no-such-thing/' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ message: 'Not found.', code: 'not_found' })
  })

  it('answers 405 with Allow to a known path with the wrong method', async () => {
    const response = await ctx.app.inject({ method: 'DELETE', url: '/api/test/widgets' })
    expect(response.statusCode).toBe(405)
    expect(response.json().code).toBe('method_not_allowed')
    expect(response.headers.allow).toBe('POST')
  })

  it('answers 503 with Retry-After when no database connection frees up in time', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/test/saturated/' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('1')
    expect(response.json()).toEqual({
      message: 'The server is busy. Try again shortly.',
      code: 'service_unavailable',
    })
  })

  it('answers 503 with Retry-After, without internals, when PostgreSQL or Redis is away', async () => {
    for (const url of ['/api/test/database-restarting/', '/api/test/redis-down/']) {
      const response = await ctx.app.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBe(503)
      expect(response.headers['retry-after'], url).toBe('5')
      expect(response.json(), url).toEqual({
        message: 'The service is briefly unavailable. Try again in a few seconds.',
        code: 'service_unavailable',
      })
    }
  })

  it('answers 503 busy when PostgreSQL rolled the transaction back for another one (deadlock)', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/test/deadlock/' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('1')
    expect(response.json().code).toBe('service_unavailable')
  })

  it('answers 500 without internals, carrying the request id', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/test/boom/',
      headers: { 'x-request-id': 'req-42' },
    })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      message: 'A server error occurred.',
      code: 'server_error',
      request_id: 'req-42',
    })
    expect(response.body).not.toContain('hunter2')
    expect(response.body).not.toContain('at ')
  })
})

describe('routing', () => {
  it('answers with and without the trailing slash', async () => {
    for (const url of ['/api/test/widgets', '/api/test/widgets/', '/api/test//widgets/']) {
      const response = await ctx.app.inject({
        method: 'POST',
        url,
        headers: json,
        payload: { name: 'a', price: 0, size: 1 },
      })
      expect(response.statusCode, url).toBe(201)
    }
  })
})

describe('request ids', () => {
  it('echoes a given X-Request-ID', async () => {
    const response = await ctx.app.inject({ url: '/health/', headers: { 'x-request-id': 'abc-123' } })
    expect(response.headers['x-request-id']).toBe('abc-123')
  })

  it('generates one when none (or an unsafe one) is given', async () => {
    const plain = await ctx.app.inject({ url: '/health/' })
    expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const unsafe = await ctx.app.inject({ url: '/health/', headers: { 'x-request-id': 'bad id\r\nX: y' } })
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sets it on errors too', async () => {
    const response = await ctx.app.inject({ url: '/nope', headers: { 'x-request-id': 'r1' } })
    expect(response.headers['x-request-id']).toBe('r1')
  })
})

describe('security', () => {
  it('sets security headers on every response', async () => {
    const response = await ctx.app.inject({ url: '/health/' })
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['x-frame-options']).toBe('DENY')
    expect(response.headers['strict-transport-security']).toBeUndefined()
  })

  it('refuses a Host outside ALLOWED_HOSTS', async () => {
    const response = await ctx.app.inject({ url: '/health/', headers: { host: 'evil.example' } })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('bad_host')
  })
})
