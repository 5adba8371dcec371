// Prepares one migrated database that every test file copies, so no file pays for migrations:
// on PostgreSQL (DATABASE_URL set) that database itself is the template; on PGlite a snapshot file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { openPglite, openPostgres } from '../../src/platform/db/index.js'
import { dropCopiesOfTemplate } from './postgres.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL
  if (url) {
    const template = openPostgres(url, 1)
    await template.migrate()
    await template.close()
    project.provide('pgliteSnapshot', '')
    return () => dropCopiesOfTemplate(url)
  }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-'))
  const database = await openPglite()
  await database.migrate()
  const snapshot = join(dir, 'migrated.tar')
  writeFileSync(snapshot, Buffer.from(await (await database.pglite.dumpDataDir('none')).arrayBuffer()))
  await database.close()
  project.provide('pgliteSnapshot', snapshot)
  return () => rmSync(dir, { recursive: true, force: true })
}
