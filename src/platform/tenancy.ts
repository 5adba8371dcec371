// Tenancy types and the scope every business-owned query goes through, so that rows of another
// business cannot be read by forgetting a filter. Which business a request acts in is resolved by the
// businesses module (modules/businesses/tenancy.ts), which owns memberships.
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'

export type MembershipRole = 'owner' | 'admin' | 'manager' | 'agent'

/** The business a request acts in, and the caller's role there (`platform_admin` for a platform admin). */
export type BusinessContext = { businessId: string; role: MembershipRole | 'platform_admin' }

/** A table with the business-owned columns. */
export type BusinessOwned = { businessId: PgColumn; isDeleted: PgColumn }

/** The condition every query on a business-owned table includes: this business, not deleted. */
export function scoped(
  table: BusinessOwned,
  context: Pick<BusinessContext, 'businessId'>,
  ...more: (SQL | undefined)[]
) {
  return and(eq(table.businessId, context.businessId), sql`not ${table.isDeleted}`, ...more)
}
