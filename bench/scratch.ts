// A database of a bench run's own: PGlite in a temporary directory, or with DATABASE_URL a scratch
// database on that server, created here and dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db/index.js'

export async function scratchDatabase(
  name: string,
): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), `tessera-${name}-`))
    const handle = await openPglite(join(dir, 'data'))
    return { handle, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const database = `tessera_${name}_${process.pid}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${database}`)
  const url = new URL(base)
  url.pathname = `/${database}`
  const handle = openPostgres(url.toString(), 10)
  return {
    handle,
    async drop() {
      await admin.query(`drop database if exists ${database} with (force)`)
      await admin.end()
    },
  }
}
