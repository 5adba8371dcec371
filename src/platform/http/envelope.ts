// The success envelope of API.md: `{ data, message?, meta? }`, and the error body, as TypeBox schemas so
// every route's response is serialized (and documented) through them.
import { type Static, type TSchema, Type } from '@sinclair/typebox'

export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    request_id: Type.Optional(Type.String()),
  },
  {
    $id: 'ErrorBody',
    description: 'Every error: a human message, a stable code, and field errors when input was invalid.',
  },
)

export const PaginationMeta = Type.Object(
  {
    page: Type.Union([Type.Integer(), Type.Null()]),
    page_size: Type.Integer(),
    total: Type.Union([Type.Integer(), Type.Null()]),
    total_is_estimate: Type.Boolean(),
    total_pages: Type.Union([Type.Integer(), Type.Null()]),
    next: Type.Union([Type.String(), Type.Null()]),
    previous: Type.Union([Type.String(), Type.Null()]),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'PaginationMeta' },
)
export type PaginationMeta = Static<typeof PaginationMeta>

/** `{ data: T, message? }` for a single object (or null on DELETE). */
export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({ data, message: Type.Optional(Type.String()) })

/** `{ data: T[], message?, meta: { pagination } }` for a list. */
export const ListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    message: Type.Optional(Type.String()),
    meta: Type.Object({ pagination: Type.Ref(PaginationMeta) }),
  })

export function ok<T>(data: T, message?: string): { data: T; message?: string } {
  return message === undefined ? { data } : { data, message }
}
