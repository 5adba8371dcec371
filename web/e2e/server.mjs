// The browser tests' server: `npm start` as a user runs it (builds included), on a fresh embedded
// database under web/test-results/e2e-data, with the demo data seeded first.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dataDir = fileURLToPath(new URL('../test-results/e2e-data', import.meta.url))
const port = process.env.E2E_PORT ?? '8123'
rmSync(dataDir, { recursive: true, force: true })

const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATA_DIR: dataDir,
  PORT: port,
  HOST: '127.0.0.1',
  FRONTEND_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  // Many sign-ins from one address in a few minutes: the per-IP limit would trip; lockout stays on.
  THROTTLE_AUTH: '1000/minute',
}
// The embedded database, whatever the calling shell points at.
delete env.DATABASE_URL
delete env.REDIS_URL
const seeded = spawnSync(process.execPath, ['scripts/run.mjs', 'cli', 'seed', '--demo'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (seeded.status !== 0) process.exit(seeded.status ?? 1)
const server = spawnSync(process.execPath, ['scripts/run.mjs', 'server'], { env, stdio: 'inherit' })
process.exit(server.status ?? 1)
