// /api/businesses/{id}/webhooks/: a business's webhook endpoints (owners, admins, platform admins), their
// secrets and their delivery logs.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import { Id, IdParams, Text } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { PageOnly, pageOnly } from '../businesses/routes.js'
import { deliveryOut, listDeliveries, redeliver } from './deliveries.js'
import {
  createEndpoint,
  deleteEndpoint,
  endpointOut,
  listEndpoints,
  manageableEndpoint,
  rotateSecret,
  updateEndpoint,
  type WebhookDeps,
} from './endpoints.js'
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from './tables.js'

const DateTime = Type.String({ format: 'date-time' })
const literals = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)))

const endpointFields = {
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(literals(WEBHOOK_EVENTS)),
  is_active: Type.Boolean(),
  description: Type.String(),
  failing_since: Type.Union([DateTime, Type.Null()], {
    description: 'The first failed attempt since the last success; null while deliveries succeed.',
  }),
  created_at: DateTime,
  updated_at: DateTime,
}
const WebhookSchema = Type.Object(endpointFields, { $id: 'Webhook' })
const WebhookWithSecret = Type.Object(
  {
    ...endpointFields,
    secret: Type.String({ description: 'whsec_ and base64: shown in this answer only; keep it.' }),
  },
  { $id: 'WebhookWithSecret' },
)

const DeliverySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    event_id: Type.String({ format: 'uuid', description: 'Also the webhook-id header of every attempt.' }),
    event: literals(WEBHOOK_EVENTS),
    attempt: Type.Integer(),
    status: literals(DELIVERY_STATUSES),
    response_status: Type.Union([Type.Integer(), Type.Null()]),
    duration_ms: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    at: Type.String({
      format: 'date-time',
      description: 'When it was made; for a pending one, when it is due.',
    }),
  },
  { $id: 'WebhookDelivery' },
)

const Url = Text({
  minLength: 1,
  maxLength: 2000,
  description: 'https (http only with WEBHOOK_ALLOW_PRIVATE).',
})
const Events = Type.Array(Text({ maxLength: 100 }), {
  maxItems: 50,
  description: `A non-empty subset of: ${WEBHOOK_EVENTS.join(', ')}.`,
})
const optionalFields = {
  is_active: Type.Optional(Type.Boolean()),
  description: Type.Optional(Text({ maxLength: 500 })),
}
const WebhookCreate = Type.Object({ url: Url, events: Events, ...optionalFields })
const WebhookPatch = Type.Object({
  url: Type.Optional(Url),
  events: Type.Optional(Events),
  ...optionalFields,
})

const WebhookParams = Type.Object({ id: Id(), webhook_id: Id() })
const DeliveryParams = Type.Object({ id: Id(), webhook_id: Id(), delivery_id: Id() })

export async function webhookRoutes(app: App, { deps }: { deps: WebhookDeps }) {
  const base = { onRequest: authenticated }
  const doc = { tags: ['webhooks'], security: callerSecurity }
  const path = '/api/businesses/:id/webhooks/'
  const one = `${path}:webhook_id/`

  app.get(
    path,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'The business’s webhook endpoints (owners and admins)',
        params: IdParams,
        querystring: PageOnly,
        response: { 200: ListEnvelope(WebhookSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request)
      const result = await listEndpoints(deps, requireUser(request), request.params.id, page)
      return listBody(request, page, result, endpointOut)
    },
  )

  app.post(
    path,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'Add an endpoint; the answer alone shows its signing secret',
        params: IdParams,
        body: WebhookCreate,
        response: { 201: Envelope(WebhookWithSecret) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const made = await createEndpoint(deps, user, request.params.id, request.body, actorOf(request))
      return reply
        .code(201)
        .send(ok({ ...endpointOut(made.endpoint), secret: made.secret }, 'Webhook created'))
    },
  )

  app.get(
    one,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'One endpoint',
        params: WebhookParams,
        response: { 200: Envelope(WebhookSchema) },
      },
    },
    async (request) => {
      const { id, webhook_id } = request.params
      return ok(endpointOut(await manageableEndpoint(deps, requireUser(request), id, webhook_id)))
    },
  )

  app.patch(
    one,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'Change an endpoint; turning it off drops its pending attempts',
        params: WebhookParams,
        body: WebhookPatch,
        response: { 200: Envelope(WebhookSchema) },
      },
    },
    async (request) => {
      const { id, webhook_id } = request.params
      const user = requireUser(request)
      const row = await updateEndpoint(deps, user, id, webhook_id, request.body, actorOf(request))
      return ok(endpointOut(row), 'Webhook updated')
    },
  )

  app.delete(
    one,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'Delete an endpoint',
        params: WebhookParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      const { id, webhook_id } = request.params
      await deleteEndpoint(deps, requireUser(request), id, webhook_id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )

  app.post(
    `${one}rotate_secret/`,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'A new signing secret; the old one stops working at once',
        params: WebhookParams,
        response: { 200: Envelope(WebhookWithSecret) },
      },
    },
    async (request) => {
      const { id, webhook_id } = request.params
      const made = await rotateSecret(deps, requireUser(request), id, webhook_id, actorOf(request))
      return ok({ ...endpointOut(made.endpoint), secret: made.secret }, 'Secret rotated')
    },
  )

  app.get(
    `${one}deliveries/`,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'Every attempt to deliver an event to the endpoint, newest first',
        params: WebhookParams,
        querystring: Type.Object(paginationQuery),
        response: { 200: ListEnvelope(DeliverySchema) },
      },
    },
    async (request) => {
      const { id, webhook_id } = request.params
      const user = requireUser(request)
      const { page, result } = await listDeliveries(
        deps,
        user,
        id,
        webhook_id,
        request.query,
        cursorsFor(request),
      )
      return listBody(request, page, result, deliveryOut)
    },
  )

  app.post(
    `${one}deliveries/:delivery_id/redeliver/`,
    {
      ...base,
      schema: {
        ...doc,
        summary: 'Send that attempt’s event again (a new attempt, made at once)',
        params: DeliveryParams,
        response: { 200: Envelope(DeliverySchema) },
      },
    },
    async (request) => {
      const { id, webhook_id, delivery_id } = request.params
      const row = await redeliver(deps, requireUser(request), id, webhook_id, delivery_id)
      return ok(deliveryOut(row), 'Redelivery scheduled')
    },
  )
}
