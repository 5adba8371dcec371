// `npm run worker` as a process: without Redis it explains that the web process runs the jobs and exits
// 1 rather than idling. Running jobs with Redis, and surviving a kill, is in test/modules/outbox/crash.test.ts.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('npm run worker', () => {
  it('refuses to run without REDIS_URL, saying why', () => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' }
    delete env.REDIS_URL
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(result.status).toBe(1)
    expect(result.stdout + result.stderr).toMatch(/REDIS_URL is not set.*web process/)
  })
})
