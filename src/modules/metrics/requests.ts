// How long requests take, by route pattern (never the raw URL, whose ids would make a series per
// booking), method and status. Each route gets its own onResponse hook, closed over its pattern, so a
// request costs a map lookup and one observe: Fastify has already timed the reply (elapsedTime).
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify'
import type { Histogram } from 'prom-client'

export type RequestDurations = Histogram<'route' | 'method' | 'status_code'>

/** The route label of requests no route took (404s, 405s): one series, whatever the URL. */
export const UNMATCHED = 'unmatched'

type Labels = { route: string; method: string; status_code: string }

/** Observes one route's requests, with each (method, status) label set built once and kept. */
function observer(durations: RequestDurations, route: string) {
  const labels = new Map<string, Map<number, Labels>>()
  return (request: FastifyRequest, reply: FastifyReply) => {
    const { method } = request
    const status = reply.statusCode
    let byStatus = labels.get(method)
    if (!byStatus) {
      byStatus = new Map()
      labels.set(method, byStatus)
    }
    let set = byStatus.get(status)
    if (!set) {
      set = { route, method, status_code: String(status) }
      byStatus.set(status, set)
    }
    durations.observe(set, reply.elapsedTime / 1000)
  }
}

/** Must run before any route is added: routes added earlier are not observed. */
export function observeRequests(app: FastifyInstance, durations: RequestDurations): void {
  app.addHook('onRoute', (route) => {
    const observe = observer(durations, route.url)
    const hook: onResponseHookHandler = (request, reply, done) => {
      observe(request, reply)
      done()
    }
    const given = route.onResponse
    // A new array: Fastify copies a GET route's options for its HEAD route, which gets its own hook.
    route.onResponse = given ? [...(Array.isArray(given) ? given : [given]), hook] : [hook]
  })
  const unmatched = observer(durations, UNMATCHED)
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) unmatched(request, reply)
    done()
  })
}
