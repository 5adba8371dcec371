// Per-file databases on a real PostgreSQL server: copies of the migrated template named by DATABASE_URL.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

async function onMaintenanceDb<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const COPY_MARK = '_copy_'

/** Creates a database (a copy of the template at `templateUrl`, or empty) and returns its URL. */
export async function createDatabase(templateUrl: string, { empty = false } = {}): Promise<string> {
  const template = databaseName(templateUrl)
  const name = `${template}${COPY_MARK}${randomBytes(5).toString('hex')}`
  await onMaintenanceDb(templateUrl, async (client) => {
    const source = empty ? 'template0' : pg.escapeIdentifier(template)
    // Two copies of one template at the same instant can collide on its lock; a short retry settles it.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${source}`)
        return
      } catch (error) {
        if (attempt >= 10 || !String((error as Error).message).includes('being accessed by other users'))
          throw error
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
      }
    }
  })
  return withDatabase(templateUrl, name)
}

export async function dropDatabase(url: string): Promise<void> {
  await onMaintenanceDb(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName(url))} WITH (FORCE)`),
  )
}

/** Drops every copy of the template that a crashed test file left behind. */
export async function dropCopiesOfTemplate(templateUrl: string): Promise<void> {
  const prefix = `${databaseName(templateUrl)}${COPY_MARK}`
  await onMaintenanceDb(templateUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    )
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`)
    }
  })
}
