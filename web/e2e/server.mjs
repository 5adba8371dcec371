// The browser tests' server: `npm start` as a user runs it (builds included), on a fresh embedded
// database under web/test-results/e2e-data (or E2E_DATA_DIR), with the demo data seeded and a
// platform admin made by `createsuperuser` first (the credentials are in env.ts, which this plain
// script cannot import).
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dataDir =
  process.env.E2E_DATA_DIR ?? fileURLToPath(new URL('../test-results/e2e-data', import.meta.url))
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
  // A job that fails (the console's jobs test makes one) gives up after two quick tries.
  JOB_ATTEMPTS: '2',
  JOB_BACKOFF: '1s',
  // The console's webhooks test points an endpoint at a receiver of its own on 127.0.0.1 (plain http).
  WEBHOOK_ALLOW_PRIVATE: 'true',
}
// The embedded database, whatever the calling shell points at.
delete env.DATABASE_URL
delete env.REDIS_URL
const cli = (...args) =>
  spawnSync(process.execPath, ['scripts/run.mjs', 'cli', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
for (const args of [
  ['seed', '--demo'],
  [
    'createsuperuser',
    '--username',
    'e2e_root',
    '--email',
    'root@e2e.tessera.example',
    '--password',
    'Quartz-Meadow-root-e2e-58',
  ],
]) {
  const done = cli(...args)
  if (done.status !== 0) process.exit(done.status ?? 1)
}
const server = spawnSync(process.execPath, ['scripts/run.mjs', 'server'], { env, stdio: 'inherit' })
process.exit(server.status ?? 1)
