// Every route the app registers, recorded as it is added: the 405 handler asks it which methods a path
// has, and the OpenAPI test checks the document against it.
import type { FastifyInstance } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'

export type RouteEntry = { method: string; url: string; hidden: boolean }

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[]
  }
}

export function registerRouteTable(app: FastifyInstance): void {
  const table: RouteEntry[] = []
  app.decorate('routeTable', table)
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide)
    for (const method of methods) table.push({ method, url: route.url, hidden })
  })
}

/** Methods other than `method` that some route answers on `path` (for 405's Allow header). */
export function otherMethodsFor(table: RouteEntry[]): (method: string, path: string) => string[] {
  let router: ReturnType<typeof FindMyWay> | undefined
  let methods: string[] = []
  return (method, path) => {
    if (!router) {
      // Built on first use: routes cannot be added once the app serves requests.
      router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true })
      // OPTIONS is answered by CORS for every path; it says nothing about which paths exist.
      const entries = table.filter((entry) => entry.method !== 'OPTIONS')
      for (const entry of entries) {
        const verb = entry.method as HTTPMethod
        if (!router.hasRoute(verb, entry.url)) router.on(verb, entry.url, () => {})
      }
      methods = [...new Set(entries.map((entry) => entry.method))]
    }
    const found = router
    return methods.filter((other) => other !== method && found.find(other as HTTPMethod, path) !== null)
  }
}
