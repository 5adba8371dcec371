// The built web apps (web/dist, made by Vite) held in memory: every file with its content type,
// ETag and compressed forms, so serving one is a map lookup. Files Vite names by content hash
// (assets/) never change and are cached for a year; the HTML pages are revalidated every time.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export type WebFile = {
  body: Buffer
  type: string
  etag: string
  cacheControl: string
  gzip: Buffer | null
  brotli: Buffer | null
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
}

const COMPRESSIBLE = /^(text\/|image\/svg|application\/json)/
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.name.startsWith('.') ? [] : [path]
  })
}

function webFile(path: string, immutable: boolean): WebFile {
  const body = readFileSync(path)
  const type = TYPES[extname(path)] ?? 'application/octet-stream'
  // Compressing costs once at start what it would cost on every request; a tiny file gains nothing.
  const compress = COMPRESSIBLE.test(type) && body.length > 1024
  return {
    body,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl: immutable ? IMMUTABLE : REVALIDATE,
    gzip: compress ? gzipSync(body, { level: 9 }) : null,
    brotli: compress
      ? brotliCompressSync(body, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        })
      : null,
  }
}

export type WebBuild = {
  /** URL path (`/assets/index-abc.js`, `/favicon.svg`) -> file; the HTML pages are not in it. */
  files: Map<string, WebFile>
  /** The customer app's page, served for its client routes. */
  page: WebFile
  /** The admin console's page (`admin/index.html`), served for `/admin/` and its client routes. */
  admin: WebFile | null
}

/** Reads a Vite output directory; null when it has not been built (the API still serves). */
export function loadWebBuild(dir: string | null): WebBuild | null {
  if (!dir || !existsSync(join(dir, 'index.html')) || !statSync(dir).isDirectory()) return null
  const files = new Map<string, WebFile>()
  let page: WebFile | undefined
  let admin: WebFile | null = null
  for (const path of filesUnder(dir)) {
    const url = `/${relative(dir, path).split(sep).join('/')}`
    if (url === '/index.html') page = webFile(path, false)
    else if (url === '/admin/index.html') admin = webFile(path, false)
    else files.set(url, webFile(path, url.startsWith('/assets/')))
  }
  if (!page) return null
  return { files, page, admin }
}
