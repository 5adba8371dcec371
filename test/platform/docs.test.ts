import { describe, expect, it } from 'vitest'
import { useTestApp } from '../helpers/app.js'

const ctx = useTestApp()

const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}')

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document listing every registered route', async () => {
    const response = await ctx.app.inject({ url: '/api/schema/' })
    expect(response.statusCode).toBe(200)
    const document = response.json()
    expect(document.openapi).toBe('3.1.0')
    expect(document.info.title).toBe('Tessera API')

    const documented = ctx.app.routeTable.filter(
      (route) => !route.hidden && !['HEAD', 'OPTIONS'].includes(route.method),
    )
    expect(documented.length).toBeGreaterThan(0)
    for (const { method, url } of documented) {
      expect(document.paths[openApiPath(url)], `${method} ${url}`).toHaveProperty(method.toLowerCase())
    }
  })

  it('serves Swagger UI from local files', async () => {
    const page = await ctx.app.inject({ url: '/api/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.body).toContain('swagger-ui')
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[^"']*\.js/)
    const script = await ctx.app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' })
    expect(script.statusCode).toBe(200)
  })

  it('serves ReDoc from local files, with a CSP', async () => {
    const page = await ctx.app.inject({ url: '/api/redoc/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.body).toContain('<redoc spec-url="/api/schema/">')
    const script = await ctx.app.inject({ url: '/api/redoc/redoc.standalone.js' })
    expect(script.statusCode).toBe(200)
    expect(script.body.length).toBeGreaterThan(100_000)
  })
})
