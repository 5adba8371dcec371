// ALLOWED_HOSTS, as in Django: refuse requests whose Host header names a host we do not serve
// (host-header poisoning of absolute URLs such as pagination links and emails).
import type { FastifyInstance } from 'fastify'
import { badRequest } from '../errors.js'

/** `example.com` matches exactly; `.example.com` matches it and its subdomains; `*` matches anything. */
export function hostAllowed(hostHeader: string | undefined, allowed: string[]): boolean {
  if (allowed.includes('*')) return true
  if (!hostHeader) return false
  const host = hostHeader
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
  return allowed.some((pattern) => {
    const wanted = pattern.toLowerCase().replace(/^\[(.*)\]$/, '$1')
    return wanted.startsWith('.') ? host === wanted.slice(1) || host.endsWith(wanted) : host === wanted
  })
}

export function registerAllowedHosts(app: FastifyInstance, allowed: string[]): void {
  app.addHook('onRequest', async (request) => {
    if (!hostAllowed(request.headers.host, allowed)) {
      throw badRequest(
        `Invalid Host header "${request.headers.host ?? ''}". Add it to ALLOWED_HOSTS.`,
        'bad_host',
      )
    }
  })
}
