// The directory's API shapes: a business as a customer picking one sees it (no settings, no member
// contact details) and the list's query.
import { Type } from '@sinclair/typebox'
import { Text } from '../../platform/http/inputs.js'
import { paginationQuery } from '../../platform/http/pagination.js'
import { OpeningHoursOutSchema } from '../businesses/opening-hours.js'

export const DirectoryStaffSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  avatar: Type.String(),
})

export const DirectoryBusinessSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    slug: Type.String(),
    timezone: Type.String(),
    currency: Type.String(),
    opening_hours: OpeningHoursOutSchema,
    staff: Type.Array(DirectoryStaffSchema, {
      description: 'Active members of any role, owners first, then by username; never an email or phone.',
    }),
  },
  { $id: 'DirectoryBusiness', description: 'An active business as the public directory shows it.' },
)

export const DirectoryQuery = Type.Object({
  search: Type.Optional(Text({ maxLength: 200, description: 'Case-insensitive substring of the name' })),
  ...paginationQuery,
})
