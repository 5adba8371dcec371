import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { lockDataDir } from '../../src/platform/db/data-dir-lock.js'

describe('lockDataDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-lock-'))
  afterEach(() => rmSync(join(dir, '.lock'), { force: true }))

  it('refuses a second owner while the first holds the lock, and frees it on release', () => {
    const release = lockDataDir(dir)
    expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(String(process.pid))
    expect(() => lockDataDir(dir)).toThrow(/in use by process/)
    release()
    lockDataDir(dir)()
  })

  it('takes over a lock left by a process that no longer runs', () => {
    writeFileSync(join(dir, '.lock'), '999999999')
    const release = lockDataDir(dir)
    expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(String(process.pid))
    release()
  })
})
