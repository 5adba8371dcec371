// Tenancy types and the scope every business-owned query goes through, so that rows of another
// business cannot be read by forgetting a filter. Which business a request acts in is resolved by the
// businesses module (modules/businesses/access.ts), which owns memberships. Nothing else writes a
// `business_id` filter: test/architecture.test.ts fails on one written by hand.
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

/** A table's columns, or the alias a raw statement gives the table. */
type Owner = { businessId: PgColumn; isDeleted?: PgColumn } | string

const column = (owner: Owner, name: 'business_id' | 'is_deleted') =>
  typeof owner === 'string'
    ? sql`${sql.identifier(owner)}.${sql.identifier(name)}`
    : name === 'business_id'
      ? sql`${owner.businessId}`
      : sql`${owner.isDeleted}`

/**
 * The same scope as raw SQL, for hand-written and prepared statements: `businessId` may be a value or
 * a placeholder (`sql.placeholder('business')`), `owner` the table or its alias in the statement.
 */
export function scopedSql(owner: Owner, businessId: unknown): SQL {
  return sql`${column(owner, 'business_id')} = ${businessId} and not ${column(owner, 'is_deleted')}`
}

/** Rows of one business whether soft-deleted or not (a table without soft delete, or where the
 * statement filters deletion apart). */
export function ownedBy(owner: Owner, businessId: unknown): SQL {
  return sql`${column(owner, 'business_id')} = ${businessId}`
}
