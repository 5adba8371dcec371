// Serves the web apps: their files at their own paths, the admin console's page for /admin/ and its
// client routes, and the customer app's page for every other client route (a GET or HEAD that
// accepts HTML outside /api/, /health/ and the docs; see pageFallback).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { WebBuild, WebFile } from './build.js'

/**
 * The customer app's Content Security Policy: scripts and styles only from this origin (Vite emits
 * no inline script), images also from any https address (sessions and avatars name theirs).
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The admin console's policy: the customer app's, except that styles may also be inline, because
 * the console's component library (MUI, through Emotion) injects its styles at run time. Scripts
 * stay same-origin only, and the customer app keeps its strict policy.
 */
export const ADMIN_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

function encodingFor(request: FastifyRequest, file: WebFile): 'br' | 'gzip' | null {
  const accepted = String(request.headers['accept-encoding'] ?? '')
  if (file.brotli && /\bbr\b/.test(accepted)) return 'br'
  if (file.gzip && /\bgzip\b/.test(accepted)) return 'gzip'
  return null
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: WebFile, csp = APP_CSP) {
  reply.header('cache-control', file.cacheControl).header('etag', file.etag).type(file.type)
  if (file.gzip) reply.header('vary', 'Accept-Encoding')
  if (file.type.startsWith('text/html')) reply.header('content-security-policy', csp)
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send()
  const encoding = encodingFor(request, file)
  const body = encoding === 'br' ? file.brotli : encoding === 'gzip' ? file.gzip : file.body
  if (encoding) reply.header('content-encoding', encoding)
  // The page fallback answers HEAD itself (Fastify strips the body only on routes it registered).
  if (request.method === 'HEAD') return reply.header('content-length', body?.length ?? 0).send()
  return reply.send(body)
}

const NOT_PAGES = /^\/(api|health)(\/|$)/
const ADMIN_PAGES = /^\/admin(\/|$)/

/** The page to answer a request no route took, or null when it should get the JSON 404/405. */
export function pageFallback(build: WebBuild | null) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    if (!build || (request.method !== 'GET' && request.method !== 'HEAD')) return null
    const path = request.url.split('?')[0] ?? '/'
    if (NOT_PAGES.test(path) || !String(request.headers.accept ?? '').includes('text/html')) return null
    if (build.admin && ADMIN_PAGES.test(path)) return sendFile(request, reply, build.admin, ADMIN_CSP)
    return sendFile(request, reply, build.page)
  }
}

export async function webRoutes(app: FastifyInstance, { build }: { build: WebBuild | null }) {
  if (!build) return
  for (const [url, file] of build.files) {
    app.get(url, { schema: { hide: true } }, (request, reply) => sendFile(request, reply, file))
  }
  app.get('/', { schema: { hide: true } }, (request, reply) => sendFile(request, reply, build.page))
  const { admin } = build
  // One route answers both /admin and /admin/ (the server ignores trailing slashes).
  if (admin)
    app.get('/admin/', { schema: { hide: true } }, (request, reply) =>
      sendFile(request, reply, admin, ADMIN_CSP),
    )
}
