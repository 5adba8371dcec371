// npm run fuzz -- [--runs N] [--seed S]: the suite's OpenAPI-driven fuzzer (test/fuzz/), run longer.
// It builds the app on a scratch database (embedded, or a scratch database on DATABASE_URL's server),
// makes the fuzzer's world through the API, sends N requests per operation and prints every broken
// answer with the request as a curl line. Exit 1 when there is one.
import { parseArgs } from 'node:util'
import { scratchDatabase } from '../bench/scratch.js'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/platform/config.js'
import { fuzz, report } from '../test/fuzz/fuzzer.js'
import { makeWorld } from '../test/fuzz/world.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 1e9) },
  },
})
const runs = Number(values.runs)
const seed = Number(values.seed)
if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(seed)))
  throw new Error('--runs needs a positive integer and --seed an integer')

const scratch = await scratchDatabase('fuzz')
await scratch.handle.migrate()
const app = await buildApp(
  loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATA_DIR: process.env.DATA_DIR ?? '.fuzz',
    REDIS_URL: undefined,
    SCHEDULER: 'false',
    // The callers' tokens last the run: an expired one would only rebuild the world.
    JWT_ACCESS_TTL: '1d',
    THROTTLE_AUTH: 'off',
    THROTTLE_ANON: 'off',
    THROTTLE_USER: 'off',
  }),
  { database: scratch.handle, redis: null },
)
await app.ready()
const started = Date.now()
console.log(`fuzzing with ${runs} requests per operation, seed ${seed}`)
const failures = await fuzz(app, await makeWorld(app), {
  runs,
  seed,
  rebuild: () => makeWorld(app),
  progress: (done, total, failed) =>
    process.stdout.write(`\r${done}/${total} operations, ${failed} broken answers`),
})
console.log(`\n${failures.length} broken answers in ${((Date.now() - started) / 1000).toFixed(1)} s`)
if (failures.length > 0) console.log(report(failures))
await app.close()
await scratch.drop()
process.exitCode = failures.length > 0 ? 1 : 0
