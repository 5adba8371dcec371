// The catalog's API shapes (TypeBox: request validation, response serialization and the OpenAPI
// document at once), and how a session row fills them, as JSON and as an export's columns.
import { Type } from '@sinclair/typebox'
import type { ExportColumn } from '../../platform/http/export.js'
import { INT4_MAX, Int, Money, moneyText, Text } from '../../platform/http/inputs.js'
import { paginationQuery } from '../../platform/http/pagination.js'
import type { SessionJoined } from './queries.js'
import {
  NEXT_SLOT_LOOKAHEAD_DAYS,
  nextScheduledStart,
  ScheduleInputSchema,
  ScheduleSchema,
} from './schedule.js'
import { SESSION_STATUSES } from './tables.js'

const SessionStatusSchema = Type.Union(SESSION_STATUSES.map((status) => Type.Literal(status)))

const sessionFields = {
  id: Type.String({ format: 'uuid' }),
  business: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
  creator: Type.Object({
    id: Type.String(),
    username: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar: Type.String(),
  }),
  title: Type.String(),
  description: Type.String(),
  duration: Type.Integer(),
  price: Type.String({ description: 'Decimal with 2 places, e.g. "25.00"' }),
  max_participants: Type.Integer(),
  image_url: Type.String(),
  status: SessionStatusSchema,
  schedule: Type.Union([ScheduleSchema, Type.Null()]),
  next_slot: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: `Start of the next future scheduled slot (UTC); null without a schedule or without a slot in the next ${NEXT_SLOT_LOOKAHEAD_DAYS} days. A cached public answer may show one that began less than the cache's lifetime ago.`,
  }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}

export const SessionSchema = Type.Object(sessionFields, { $id: 'Session' })
// The same shape without the $id, for responses that list sessions under several keys.
const SessionItem = Type.Object(sessionFields)

const SessionFields = {
  description: Type.Optional(Text({ maxLength: 10_000 })),
  image_url: Type.Optional(Text({ maxLength: 500 })),
  status: Type.Optional(SessionStatusSchema),
  schedule: Type.Optional(Type.Union([ScheduleInputSchema, Type.Null()])),
}
const Title = Text({ minLength: 1, maxLength: 200 })
const Duration = Type.Integer({ minimum: 5, maximum: 1440 })
const Capacity = Type.Integer({ minimum: 1, maximum: 10_000 })
export const SessionCreate = Type.Object({
  title: Title,
  duration: Duration,
  price: Money(),
  max_participants: Capacity,
  ...SessionFields,
})
export const SessionPatch = Type.Object({
  title: Type.Optional(Title),
  duration: Type.Optional(Duration),
  price: Type.Optional(Money()),
  max_participants: Type.Optional(Capacity),
  ...SessionFields,
})

const BULK_LIMIT = 500
export const BulkBody = Type.Object({
  create: Type.Optional(Type.Array(SessionCreate, { maxItems: BULK_LIMIT })),
  update: Type.Optional(
    Type.Array(Type.Composite([Type.Object({ id: Type.String({ format: 'uuid' }) }), SessionPatch]), {
      maxItems: BULK_LIMIT,
    }),
  ),
  delete: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: BULK_LIMIT })),
})
export const BulkResult = Type.Object({
  created: Type.Array(SessionItem),
  updated: Type.Array(SessionItem),
  deleted: Type.Array(Type.String({ format: 'uuid' })),
})

const ORDERINGS = ['created_at', 'price', 'duration', 'title']
export const SessionListQuery = Type.Object({
  search: Type.Optional(Text({ maxLength: 200 })),
  status: Type.Optional(SessionStatusSchema),
  creator: Type.Optional(Type.String({ format: 'uuid' })),
  business: Type.Optional(Text({ maxLength: 100 })),
  min_price: Type.Optional(Money()),
  max_price: Type.Optional(Money()),
  min_duration: Type.Optional(Int({ minimum: 0, maximum: INT4_MAX })),
  max_duration: Type.Optional(Int({ minimum: 0, maximum: INT4_MAX })),
  ordering: Type.Optional(
    Type.Union(ORDERINGS.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)])),
  ),
  ...paginationQuery,
})

export const SESSION_EXPORT_COLUMNS: ExportColumn<SessionJoined>[] = [
  { header: 'id', value: (row) => row.session.id },
  { header: 'business', value: (row) => row.business.slug },
  { header: 'creator', value: (row) => row.creator.username },
  { header: 'title', value: (row) => row.session.title },
  { header: 'description', value: (row) => row.session.description },
  { header: 'duration', value: (row) => row.session.duration },
  { header: 'price', value: (row) => moneyText(row.session.price) },
  { header: 'max_participants', value: (row) => row.session.maxParticipants },
  { header: 'image_url', value: (row) => row.session.imageUrl },
  { header: 'status', value: (row) => row.session.status },
  { header: 'schedule', value: (row) => (row.session.schedule ? JSON.stringify(row.session.schedule) : '') },
  { header: 'created_at', value: (row) => row.session.createdAt.toISOString() },
  { header: 'updated_at', value: (row) => row.session.updatedAt.toISOString() },
]

/**
 * A session as the API answers it at `now`. `next_slot` depends on `now`: the public list and detail
 * are cached (cache.ts) with it, so a cached answer may name a slot that started up to the cache's
 * TTL ago (seconds). Accepted: booking it is refused by the booking check, and the next render
 * (any catalog write, or the TTL) moves on. Computing it costs a few days' schedule walk per row.
 */
export function sessionOut({ session, business, creator }: SessionJoined, now: Date) {
  const next = session.schedule ? nextScheduledStart(session.schedule, business.timezone, now) : null
  return {
    id: session.id,
    business: { id: business.id, name: business.name, slug: business.slug },
    creator: {
      id: creator.id,
      username: creator.username,
      first_name: creator.firstName,
      last_name: creator.lastName,
      avatar: creator.avatar,
    },
    title: session.title,
    description: session.description,
    duration: session.duration,
    price: moneyText(session.price),
    max_participants: session.maxParticipants,
    image_url: session.imageUrl,
    status: session.status,
    schedule: session.schedule,
    next_slot: next ? next.toISOString() : null,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
  }
}
