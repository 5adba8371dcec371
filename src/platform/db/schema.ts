// Every table of every module, for Drizzle's typed queries and for drizzle-kit's migration generator.
export * from '../../modules/accounts/tables.js'
