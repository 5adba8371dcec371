// Every table of every module, for Drizzle's typed queries and for drizzle-kit's migration generator.
export * from '../../modules/accounts/tables.js'
export * from '../../modules/audit/tables.js'
export * from '../../modules/bookings/tables.js'
export * from '../../modules/businesses/tables.js'
export * from '../../modules/catalog/tables.js'
export * from '../../modules/outbox/tables.js'
export * from '../../modules/reservations/tables.js'
export * from '../../modules/settings/tables.js'
