// The type of the `db` handle every query runs on, in a module of its own so the driver setup
// (index.ts), the migrator and the prepared-statement client can all name it without importing each
// other.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from './schema.js'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>
