import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../../helpers/app.js'

// A web build as Vite lays it out: the page, hashed assets, and a public file.
const dir = mkdtempSync(join(tmpdir(), 'tessera-web-'))
const page =
  '<!doctype html><html><head><script type="module" src="/assets/index-Ab12.js"></script></head><body><div id="root"></div></body></html>'
const script = `console.log(${JSON.stringify('x'.repeat(4000))})`
mkdirSync(join(dir, 'assets'))
writeFileSync(join(dir, 'index.html'), page)
writeFileSync(join(dir, 'assets', 'index-Ab12.js'), script)
writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
writeFileSync(join(dir, '.build-stamp'), 'stamp')
const adminPage =
  '<!doctype html><html><head><script type="module" src="/assets/admin-Cd34.js"></script></head><body><div id="admin"></div></body></html>'
mkdirSync(join(dir, 'admin'))
writeFileSync(join(dir, 'admin', 'index.html'), adminPage)

const ctx = useTestApp({ deps: { webBuildDir: dir } })
const bare = useTestApp({ deps: { webBuildDir: null } })
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

describe('the web app', () => {
  it('serves its page at / with a strict CSP and revalidation', async () => {
    const response = await ctx.app.inject({ url: '/', headers: html })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['cache-control']).toBe('no-cache')
    expect(response.body).toBe(page)
    const csp = String(response.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain("img-src 'self' https:")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
  })

  it('answers client routes with the page for GET and HEAD that accept HTML', async () => {
    for (const url of [
      '/sessions/3f6c',
      '/bookings',
      '/verify-email?token=abc',
      '/reset-password?token=x',
      '/waitlist?entry=3f6c',
    ]) {
      const response = await ctx.app.inject({ url, headers: html })
      expect(response.statusCode, url).toBe(200)
      expect(response.body).toBe(page)
    }
    const head = await ctx.app.inject({ method: 'HEAD', url: '/dashboard/sessions', headers: html })
    expect(head.statusCode).toBe(200)
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(head.body).toBe('')
  })

  it("serves the admin console's page at /admin/ and its client routes, inline styles allowed there only", async () => {
    for (const url of ['/admin', '/admin/', '/admin/users/3f6c/show', '/admin/bookings?filter=%7B%7D']) {
      const response = await ctx.app.inject({ url, headers: html })
      expect(response.statusCode, url).toBe(200)
      expect(response.body, url).toBe(adminPage)
      const csp = String(response.headers['content-security-policy'])
      expect(csp).toContain("style-src 'self' 'unsafe-inline'")
      expect(csp).toContain("script-src 'self';")
      expect(csp).toContain("frame-ancestors 'none'")
    }
    // A path that only starts like the console's is the customer app's.
    const lookalike = await ctx.app.inject({ url: '/administrators', headers: html })
    expect(lookalike.body).toBe(page)
    expect(String(lookalike.headers['content-security-policy'])).not.toContain('unsafe-inline')
    const raw = await ctx.app.inject({ url: '/admin/index.html', headers: html })
    expect(raw.body).toBe(adminPage)
  })

  it('keeps the JSON 404 and 405 under /api/ and /health/, and for requests that do not want HTML', async () => {
    const cases = [
      { method: 'GET' as const, url: '/api/nothing-here/', headers: html, status: 404, code: 'not_found' },
      { method: 'GET' as const, url: '/api', headers: html, status: 404, code: 'not_found' },
      { method: 'GET' as const, url: '/health/nothing/', headers: html, status: 404, code: 'not_found' },
      {
        method: 'GET' as const,
        url: '/sessions/3f6c',
        headers: { accept: 'application/json' },
        status: 404,
        code: 'not_found',
      },
      { method: 'GET' as const, url: '/sessions/3f6c', headers: {}, status: 404, code: 'not_found' },
      { method: 'POST' as const, url: '/sessions/3f6c', headers: html, status: 404, code: 'not_found' },
      {
        method: 'DELETE' as const,
        url: '/api/auth/csrf/',
        headers: html,
        status: 405,
        code: 'method_not_allowed',
      },
    ]
    for (const { status, code, ...request } of cases) {
      const response = await ctx.app.inject(request)
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(status)
      expect(response.headers['content-type']).toContain('application/json')
      expect(response.json().code).toBe(code)
    }
  })

  it('serves hashed assets immutable for a year, compressed when the client accepts it', async () => {
    const plain = await ctx.app.inject({ url: '/assets/index-Ab12.js' })
    expect(plain.statusCode).toBe(200)
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(plain.body).toBe(script)
    expect(plain.headers['content-security-policy']).toBeUndefined()

    const brotli = await ctx.app.inject({
      url: '/assets/index-Ab12.js',
      headers: { 'accept-encoding': 'gzip, br' },
    })
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotli.headers.vary).toContain('Accept-Encoding')
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(script)
    expect(brotli.rawPayload.length).toBeLessThan(script.length / 10)

    const gzip = await ctx.app.inject({
      url: '/assets/index-Ab12.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script)
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await ctx.app.inject({ url: '/', headers: html })
    const again = await ctx.app.inject({
      url: '/',
      headers: { ...html, 'if-none-match': String(first.headers.etag) },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('serves public files, and never a dot file', async () => {
    const icon = await ctx.app.inject({ url: '/favicon.svg' })
    expect(icon.statusCode).toBe(200)
    expect(icon.headers['content-type']).toBe('image/svg+xml')
    expect(icon.headers['cache-control']).toBe('no-cache')
    const stamp = await ctx.app.inject({ url: '/.build-stamp' })
    expect(stamp.statusCode).toBe(404)
  })

  it('leaves the API docs and health where they were', async () => {
    expect((await ctx.app.inject({ url: '/health/', headers: html })).json()).toEqual({ status: 'ok' })
    expect((await ctx.app.inject({ url: '/api/docs/', headers: html })).statusCode).toBe(200)
    expect((await ctx.app.inject({ url: '/api/schema/', headers: html })).json().openapi).toBe('3.1.0')
  })

  it('serves the API alone when no web build exists', async () => {
    const response = await bare.app.inject({ url: '/bookings', headers: html })
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('not_found')
  })
})
