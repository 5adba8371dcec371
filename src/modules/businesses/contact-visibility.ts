// Who may see a user's email address and phone number: the user, platform admins, and staff (any role)
// of a business the user belongs to or has themselves booked or reserved with. User ids are public (the
// catalog shows creators), so anything less would hand a stranger's address to whoever names their id,
// for instance by reserving for them. A reservation staff made for a customer is not the customer's
// own: it does not count. Written once, as SQL, so every answer that carries a user applies it alike.
import { type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { type Database, queryRows } from '../../platform/db/index.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import { scopedSql } from '../../platform/tenancy.js'
import { bookings } from '../bookings/tables.js'
import { reservations } from '../reservations/tables.js'
import { businesses, memberships } from './tables.js'

type UserIdExpression = SQL | PgColumn

/**
 * Whether the user `subject` is someone the business `business` knows: a member, or a customer with a
 * booking (always made by its customer) or a reservation they made themselves.
 */
export function knownToBusiness(business: UserIdExpression, subject: UserIdExpression): SQL<boolean> {
  return sql<boolean>`(exists (select 1 from ${memberships} known_m
      where ${scopedSql('known_m', business)} and known_m.user_id = ${subject})
    or exists (select 1 from ${bookings} known_b
      where ${scopedSql('known_b', business)} and known_b.user_id = ${subject})
    or exists (select 1 from ${reservations} known_r
      where ${scopedSql('known_r', business)} and known_r.customer_id = ${subject}
        and known_r.created_by = ${subject}))`
}

/**
 * Whether `viewer` may see the email address and phone of the user `subject`. `viewerId` is how the
 * statement gives the viewer's id: the value, or a placeholder in a prepared statement.
 */
export function contactVisibleTo(
  viewer: Principal,
  subject: UserIdExpression,
  viewerId: unknown = viewer.id,
): SQL<boolean> {
  if (isPlatformAdmin(viewer)) return sql<boolean>`true`
  return sql<boolean>`(${subject} = ${viewerId}::uuid or exists (
    select 1 from ${memberships} staff_m
    join ${businesses} staff_b on staff_b.id = staff_m.business_id and not staff_b.is_deleted
    where staff_m.user_id = ${viewerId}::uuid and not staff_m.is_deleted
      and ${knownToBusiness(sql`staff_m.business_id`, subject)}))`
}

/** The rule for one user, as the database stands now. */
export async function canSeeContact(db: Database, viewer: Principal, subjectId: string): Promise<boolean> {
  if (viewer.id === subjectId || isPlatformAdmin(viewer)) return true
  const [row] = await queryRows<{ visible: boolean }>(
    db,
    sql`select ${contactVisibleTo(viewer, sql`${subjectId}::uuid`)} as visible`,
  )
  return row?.visible === true
}
