// The catalog list's filters (API.md, "Sessions"): which a query has, the values it binds (a LIKE
// pattern for `search`, an id or a slug for `business`), and their conditions, written once for the
// prepared list (placeholders) and the export (values).
import { type SQL, sql } from 'drizzle-orm'
import { escapeLike } from '../../platform/db/like.js'
import { type ValueOf, valuesFrom } from '../../platform/db/prepared.js'
import { ownedBy } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { businesses } from '../businesses/tables.js'
import { type SessionStatus, sessions } from './tables.js'

export type SessionFilters = {
  search?: string
  status?: SessionStatus
  creator?: string
  business?: string
  min_price?: string | number
  max_price?: string | number
  min_duration?: number
  max_duration?: number
  ordering?: string
}

const FILTERS = [
  'search',
  'status',
  'creator',
  'business',
  'min_price',
  'max_price',
  'min_duration',
  'max_duration',
] as const

/** The filter values a query binds: `search` as its LIKE pattern, `business` as an id or a slug. */
export function filterValues(filters: SessionFilters): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const name of FILTERS) if (filters[name] !== undefined) values[name] = filters[name]
  if (filters.search) values.search = `%${escapeLike(filters.search)}%`
  if (filters.min_price !== undefined) values.min_price = String(filters.min_price)
  if (filters.max_price !== undefined) values.max_price = String(filters.max_price)
  if (filters.business !== undefined) {
    delete values.business
    values[isUuid(filters.business) ? 'business_id' : 'business_slug'] = filters.business
  }
  return values
}

/** Conditions for the filters in `present` (names as filterValues gives them). */
export function filterConditions(present: ReadonlySet<string>, value: ValueOf): SQL[] {
  const conditions: SQL[] = []
  if (present.has('search'))
    conditions.push(
      sql`(${sessions.title} ilike ${value('search')} or ${sessions.description} ilike ${value('search')})`,
    )
  if (present.has('status')) conditions.push(sql`${sessions.status} = ${value('status')}`)
  if (present.has('creator')) conditions.push(sql`${sessions.creatorId} = ${value('creator')}`)
  if (present.has('business_id')) conditions.push(ownedBy(sessions, value('business_id')))
  // On the sessions table alone (no join), as a deep page's ids are chosen. Slugs are unique among
  // live businesses, and a deleted business's sessions are never visible.
  if (present.has('business_slug'))
    conditions.push(
      ownedBy(
        sessions,
        sql`(select ${businesses.id} from ${businesses}
             where ${businesses.slug} = ${value('business_slug')} and not ${businesses.isDeleted})`,
      ),
    )
  if (present.has('min_price')) conditions.push(sql`${sessions.price} >= ${value('min_price')}::numeric`)
  if (present.has('max_price')) conditions.push(sql`${sessions.price} <= ${value('max_price')}::numeric`)
  if (present.has('min_duration')) conditions.push(sql`${sessions.duration} >= ${value('min_duration')}`)
  if (present.has('max_duration')) conditions.push(sql`${sessions.duration} <= ${value('max_duration')}`)
  return conditions
}

/** The filters of an export, applied with their values. */
export function exportConditions(filters: SessionFilters): SQL[] {
  const values = filterValues(filters)
  return filterConditions(new Set(Object.keys(values)), valuesFrom(values))
}
