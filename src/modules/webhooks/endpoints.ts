// A business's webhook endpoints, managed by its owners and admins (and platform admins): who may, what
// a URL and an event list must be, and the changes. The secret is shown once, when made or rotated;
// the row keeps it sealed. Deactivating or deleting an endpoint drops its pending attempts.
import { asc, count, eq } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { conflict, type FieldErrors, notFound, validationFailed } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { numberedPage, type PageRequest } from '../../platform/http/pagination.js'
import { type BusinessContext, scoped } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import type { Actor } from '../audit/service.js'
import { requirePower, requireStanding } from '../businesses/access.js'
import { softDeletion } from '../businesses/tables.js'
import { dropPendingAttempts } from './attempts.js'
import { isWebhookEvent } from './events.js'
import { newWebhookSecret, type SecretBox } from './signature.js'
import { WEBHOOK_EVENTS, type WebhookEventType, webhookEndpoints } from './tables.js'
import { validWebhookUrl } from './urls.js'

export type WebhookDeps = { db: Database; clock: Clock; secrets: SecretBox; allowPrivate: boolean }

export type EndpointRow = typeof webhookEndpoints.$inferSelect

export type EndpointInput = { url?: string; events?: string[]; is_active?: boolean; description?: string }

/** Endpoints one business may have: each change of the business is fanned out to all of them. */
const MAX_ENDPOINTS = 20

export function endpointOut(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    is_active: row.isActive,
    description: row.description,
    failing_since: row.failingSince?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  }
}

/** The business, for a caller who may manage its webhooks: 404 without a standing there, else 403. */
async function manageable(deps: WebhookDeps, user: Principal, businessId: string): Promise<BusinessContext> {
  return requirePower(await requireStanding(deps.db, user, businessId), 'webhooks.manage')
}

/** One endpoint of the business, for a caller who may manage them; 404 for any other id. */
export async function manageableEndpoint(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
): Promise<EndpointRow> {
  const context = await manageable(deps, user, businessId)
  if (!isUuid(endpointId)) throw notFound()
  const [row] = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(scoped(webhookEndpoints, context, eq(webhookEndpoints.id, endpointId)))
  if (!row) throw notFound()
  return row
}

/** The event names without repeats; an error on `events` unless they are a non-empty set of known ones. */
function checkedEvents(names: string[], errors: FieldErrors): WebhookEventType[] {
  const unique = [...new Set(names)]
  const unknown = unique.filter((name) => !isWebhookEvent(name))
  if (unique.length === 0) errors.events = ['Choose at least one event.']
  else if (unknown.length > 0)
    errors.events = [`Unknown: ${unknown.join(', ')}. Choose from: ${WEBHOOK_EVENTS.join(', ')}.`]
  return unique.filter(isWebhookEvent)
}

function refuseIfAny(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw validationFailed(errors)
}

export async function listEndpoints(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  page: PageRequest & { kind: 'page' },
) {
  const context = await manageable(deps, user, businessId)
  const where = scoped(webhookEndpoints, context)
  const rows = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(where)
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id))
    .limit(page.limit)
    .offset(page.offset)
  const [total] = await deps.db.select({ n: count() }).from(webhookEndpoints).where(where)
  return numberedPage(page, rows, total?.n ?? 0)
}

/** A new endpoint and its secret, which no later answer shows again. */
export async function createEndpoint(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  input: EndpointInput & { url: string; events: string[] },
  actor: Actor,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const context = await manageable(deps, user, businessId)
  const errors: FieldErrors = {}
  const url = validWebhookUrl(input.url, deps.allowPrivate, errors)
  const events = checkedEvents(input.events, errors)
  refuseIfAny(errors)
  const [existing] = await deps.db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(scoped(webhookEndpoints, context))
  if ((existing?.n ?? 0) >= MAX_ENDPOINTS)
    throw conflict('conflict', `A business has at most ${MAX_ENDPOINTS} webhook endpoints.`)
  const secret = newWebhookSecret()
  const now = deps.clock.now()
  const [endpoint] = await deps.db
    .insert(webhookEndpoints)
    .values({
      businessId,
      url,
      events,
      isActive: input.is_active ?? true,
      description: input.description ?? '',
      secretSealed: deps.secrets.seal(secret),
      createdBy: actor.userId,
      updatedBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
  if (!endpoint) throw new Error('insert returned no row')
  return { endpoint, secret }
}

/** Changes an endpoint. Deactivating drops its pending attempts; reactivating starts a fresh record. */
export async function updateEndpoint(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
  input: EndpointInput,
  actor: Actor,
): Promise<EndpointRow> {
  const current = await manageableEndpoint(deps, user, businessId, endpointId)
  const errors: FieldErrors = {}
  const url = input.url === undefined ? undefined : validWebhookUrl(input.url, deps.allowPrivate, errors)
  const events = input.events === undefined ? undefined : checkedEvents(input.events, errors)
  refuseIfAny(errors)
  const now = deps.clock.now()
  const reactivated = input.is_active === true && !current.isActive
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined && { url }),
        ...(events !== undefined && { events }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.is_active !== undefined && { isActive: input.is_active }),
        ...(reactivated && { failingSince: null }),
        updatedAt: now,
        updatedBy: actor.userId,
      })
      .where(scoped(webhookEndpoints, { businessId }, eq(webhookEndpoints.id, current.id)))
      .returning()
    if (!row) throw notFound()
    if (!row.isActive) await dropPendingAttempts(tx, row.id)
    return row
  })
}

/** Deletes an endpoint (soft: its attempts stay readable in the database) and its pending attempts. */
export async function deleteEndpoint(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
  actor: Actor,
): Promise<void> {
  const current = await manageableEndpoint(deps, user, businessId, endpointId)
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set(softDeletion(actor.userId, now))
      .where(scoped(webhookEndpoints, { businessId }, eq(webhookEndpoints.id, current.id)))
      .returning({ id: webhookEndpoints.id })
    if (!row) throw notFound()
    await dropPendingAttempts(tx, row.id)
  })
}

/** A new secret for the endpoint; requests are signed with it from now on, the old one stops working. */
export async function rotateSecret(
  deps: WebhookDeps,
  user: Principal,
  businessId: string,
  endpointId: string,
  actor: Actor,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const current = await manageableEndpoint(deps, user, businessId, endpointId)
  const secret = newWebhookSecret()
  const [endpoint] = await deps.db
    .update(webhookEndpoints)
    .set({ secretSealed: deps.secrets.seal(secret), updatedAt: deps.clock.now(), updatedBy: actor.userId })
    .where(scoped(webhookEndpoints, { businessId }, eq(webhookEndpoints.id, current.id)))
    .returning()
  if (!endpoint) throw notFound()
  return { endpoint, secret }
}
