// The outbox row's params, checked before use: the column is jsonb, so its shape is only as good as the
// code that wrote it, and a row from an older release may differ.
import { type TSchema, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { UUID_PATTERN } from '../../platform/uuid.js'
import type { MailParams, MailTemplate } from './messages.js'

const Id = Type.String({ pattern: UUID_PATTERN })
const Token = Type.String({ minLength: 1 })
const AccountToken = Type.Object({ userId: Id, token: Token })
const Entity = Type.Union([Type.Literal('booking'), Type.Literal('reservation')])
const StatusValue = Type.Union([
  Type.Literal('pending'),
  Type.Literal('confirmed'),
  Type.Literal('cancelled'),
  Type.Literal('completed'),
])

// Typed against MailParams, so a change there that the schemas miss does not compile.
const schemas: { [T in MailTemplate]: TSchema & { static: MailParams[T] } } = {
  welcome: AccountToken,
  verify_email: AccountToken,
  password_reset: Type.Object({ userId: Type.Union([Id, Type.Null()]), token: Token }),
  invitation: Type.Object({ invitationId: Id, token: Token }),
  booking_created: Type.Object({ bookingId: Id }),
  reservation_created: Type.Object({ reservationId: Id }),
  status_changed: Type.Object({ entity: Entity, id: Id, from: StatusValue, to: StatusValue }),
  reminder: Type.Object({ entity: Entity, id: Id }),
  waitlist_offer: Type.Object({ entryId: Id }),
  webhook_disabled: Type.Object({ endpointId: Id }),
}

/** Every template, from the record above: one cannot be added without its params schema. */
export const MAIL_TEMPLATES = Object.keys(schemas) as MailTemplate[]

export const isMailTemplate = (name: string): name is MailTemplate => Object.hasOwn(schemas, name)

/** The params of `template`, or an error naming what is wrong with them. */
export function mailParams<T extends MailTemplate>(template: T, params: unknown): MailParams[T] {
  const schema = schemas[template]
  if (Value.Check(schema, params)) return params as MailParams[T]
  const first = Value.Errors(schema, params).First()
  throw new Error(`invalid params for mail template "${template}": ${first?.path || '/'} ${first?.message}`)
}
