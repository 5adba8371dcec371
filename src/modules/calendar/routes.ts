// /api/calendar/: the caller's feed URL (or a business's), its rotation, and the feed itself, which
// needs no sign-in: calendar apps fetch it with the token in the URL.
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { notFound } from '../../platform/errors.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { Id, Text } from '../../platform/http/inputs.js'
import { callerOf } from '../businesses/access.js'
import { type CalendarDeps, feedTokenFor, openFeed, rotateFeedFor } from './service.js'

const tags = ['calendar']
const FeedQuery = Type.Object({
  business: Type.Optional(Id({ description: "A business's feed instead of your own (its staff only)." })),
})
const FeedUrl = Type.Object({ url: Type.String({ format: 'uri' }) }, { $id: 'CalendarFeedUrl' })
// base64url of an HMAC-SHA256: 43 characters.
const TOKEN = /^[A-Za-z0-9_-]{43}\.ics$/

const urlOf = (request: FastifyRequest, token: string) =>
  `${request.protocol}://${request.host}/api/calendar/${token}.ics`

export async function calendarRoutes(app: App, { deps }: { deps: CalendarDeps }) {
  const schema = {
    tags,
    security: callerSecurity,
    querystring: FeedQuery,
    response: { 200: Envelope(FeedUrl) },
  }
  app.get(
    '/api/calendar/feed/',
    {
      onRequest: authenticated,
      schema: { ...schema, summary: 'The URL of your calendar feed, or of a business' },
    },
    async (request) => {
      const token = await feedTokenFor(deps, callerOf(request), request.query.business)
      return ok({ url: urlOf(request, token) })
    },
  )
  app.post(
    '/api/calendar/feed/rotate/',
    { onRequest: authenticated, schema: { ...schema, summary: 'A new feed URL; the old one stops working' } },
    async (request) => {
      const token = await rotateFeedFor(deps, callerOf(request), request.query.business)
      return ok({ url: urlOf(request, token) }, 'Calendar feed URL replaced')
    },
  )
  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags,
        summary: 'An iCalendar feed (RFC 5545), for calendar apps',
        params: Type.Object({ file: Text({ maxLength: 100, description: '<token>.ics' }) }),
        produces: ['text/calendar'],
        response: {
          200: { content: { 'text/calendar': { schema: Type.String() } } },
          304: {
            description: 'Unchanged since the ETag in If-None-Match: no body',
            content: { 'text/calendar': { schema: Type.String({ maxLength: 0 }) } },
          },
        },
      },
    },
    async (request, reply) => {
      if (!TOKEN.test(request.params.file)) throw notFound()
      const known = request.headers['if-none-match']?.split(',').map((tag) => tag.trim().replace(/^W\//, ''))
      const feed = await openFeed(deps, request.params.file.slice(0, -'.ics'.length), known)
      if (!feed) throw notFound()
      reply.header('etag', feed.etag).header('cache-control', 'private, no-cache')
      if (feed.body === null) return reply.code(304).send('')
      return reply.type('text/calendar; charset=utf-8').send(feed.body)
    },
  )
}
