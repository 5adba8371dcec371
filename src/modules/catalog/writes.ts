// The catalog's writes, inside the caller's transaction (one session's, or a bulk request's): each
// writes its audit row and its webhook event with it.
import { and, eq, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { notFound } from '../../platform/errors.js'
import { moneyText } from '../../platform/http/inputs.js'
import type { BusinessContext } from '../../platform/tenancy.js'
import { type Actor, changedFields, creationChanges, recordAudit } from '../audit/service.js'
import { softDeletion } from '../businesses/tables.js'
import { offerNewSeats } from '../waitlist/seats.js'
import { recordWebhookEvent } from '../webhooks/events.js'
import type { WebhookEventType } from '../webhooks/tables.js'
import { ensureCapacityFits } from './capacity.js'
import { selectJoined } from './queries.js'
import { type ScheduleInput, storedSchedule } from './schedule.js'
import { sessionOut } from './schemas.js'
import { type SessionStatus, sessions } from './tables.js'

export type SessionInput = {
  title?: string
  description?: string
  duration?: number
  price?: string | number
  max_participants?: number
  image_url?: string
  status?: SessionStatus
  schedule?: ScheduleInput | null
}

/** A new session's input: the optional fields and the four a session cannot go without. */
export type NewSession = Required<Pick<SessionInput, 'title' | 'duration' | 'price' | 'max_participants'>> &
  SessionInput

function values(input: SessionInput) {
  return {
    ...(input.title !== undefined && { title: input.title }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.duration !== undefined && { duration: input.duration }),
    ...(input.price !== undefined && { price: moneyText(input.price) }),
    ...(input.max_participants !== undefined && { maxParticipants: input.max_participants }),
    ...(input.image_url !== undefined && { imageUrl: input.image_url }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.schedule !== undefined && { schedule: input.schedule && storedSchedule(input.schedule) }),
  }
}

/** The session's webhook event: the session as the API answers it at `now` (a deleted one as it was). */
function sessionEvent(tx: Database, type: WebhookEventType, businessId: string, id: string, now: Date) {
  return recordWebhookEvent(tx, { businessId, type, at: now }, async () => {
    const [row] = await selectJoined(tx, {}).where(eq(sessions.id, id))
    if (!row) throw notFound()
    return sessionOut(row, now)
  })
}

function auditable(row: typeof sessions.$inferSelect) {
  return {
    title: row.title,
    description: row.description,
    duration: row.duration,
    price: moneyText(row.price),
    max_participants: row.maxParticipants,
    image_url: row.imageUrl,
    status: row.status,
    schedule: row.schedule,
  }
}

export async function createSessionIn(
  tx: Database,
  clock: Clock,
  context: BusinessContext,
  creatorId: string,
  input: NewSession,
  actor: Actor,
) {
  const now = clock.now()
  const [created] = await tx
    .insert(sessions)
    .values({
      businessId: context.businessId,
      creatorId,
      title: input.title,
      duration: input.duration,
      price: moneyText(input.price),
      maxParticipants: input.max_participants,
      ...values(input),
      createdBy: actor.userId,
      updatedBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
  if (!created) throw new Error('insert returned no row')
  await recordAudit(
    tx,
    {
      actor,
      businessId: context.businessId,
      action: 'create',
      entity: 'session',
      entityId: created.id,
      changes: creationChanges(auditable(created)),
    },
    now,
  )
  await sessionEvent(tx, 'session.created', context.businessId, created.id, now)
  return created
}

export async function updateSessionIn(
  tx: Database,
  clock: Clock,
  id: string,
  input: SessionInput,
  actor: Actor,
) {
  const now = clock.now()
  const [before] = await tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), sql`not ${sessions.isDeleted}`))
    .for('update')
  if (!before) throw notFound()
  // After the lock, in a statement of its own: see capacity.ts.
  if (input.max_participants !== undefined) await ensureCapacityFits(tx, id, input.max_participants, now)
  const [after] = await tx
    .update(sessions)
    .set({ ...values(input), updatedBy: actor.userId, updatedAt: now })
    .where(eq(sessions.id, id))
    .returning()
  if (!after) throw notFound()
  // Seats to offer: new ones, or those freed while the session was inactive (no offers are made then).
  const reopened = before.status !== 'active' && after.status === 'active'
  if (after.status === 'active' && (reopened || after.maxParticipants > before.maxParticipants))
    await offerNewSeats(tx, id, after.maxParticipants, now)
  await recordAudit(
    tx,
    {
      actor,
      businessId: before.businessId,
      action: 'update',
      entity: 'session',
      entityId: id,
      changes: changedFields(auditable(before), auditable(after)),
    },
    now,
  )
  await sessionEvent(tx, 'session.updated', before.businessId, id, now)
  return after
}

export async function deleteSessionIn(tx: Database, clock: Clock, id: string, actor: Actor) {
  const now = clock.now()
  const [deleted] = await tx
    .update(sessions)
    .set(softDeletion(actor.userId, now))
    .where(and(eq(sessions.id, id), sql`not ${sessions.isDeleted}`))
    .returning({ businessId: sessions.businessId })
  if (!deleted) throw notFound()
  await recordAudit(
    tx,
    { actor, businessId: deleted.businessId, action: 'delete', entity: 'session', entityId: id, changes: {} },
    now,
  )
  await sessionEvent(tx, 'session.deleted', deleted.businessId, id, now)
}
