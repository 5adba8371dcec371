// The status of a booking or reservation as the API's schemas give it: one of STATUSES.
import { Type } from '@sinclair/typebox'
import { STATUSES } from './status.js'

export const StatusSchema = Type.Union(STATUSES.map((status) => Type.Literal(status)))
