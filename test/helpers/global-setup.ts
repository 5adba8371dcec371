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
    /** DATA_DIR of test apps (emails written as files land under it); removed after the run. */
    testDataDir: string
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-'))
  project.provide('testDataDir', join(dir, 'data'))
  const removeDir = () => rmSync(dir, { recursive: true, force: true })
  const url = process.env.DATABASE_URL
  if (url) {
    const template = openPostgres(url, 1)
    await template.migrate()
    await template.close()
    project.provide('pgliteSnapshot', '')
    return async () => {
      await dropCopiesOfTemplate(url)
      removeDir()
    }
  }
  const database = await openPglite()
  await database.migrate()
  const snapshot = join(dir, 'migrated.tar')
  writeFileSync(snapshot, Buffer.from(await (await database.pglite.dumpDataDir('none')).arrayBuffer()))
  await database.close()
  project.provide('pgliteSnapshot', snapshot)
  return removeDir
}
