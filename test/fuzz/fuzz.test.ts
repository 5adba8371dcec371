// The OpenAPI-driven fuzzer (fuzzer.ts) with a fixed seed and a bounded number of requests per
// operation, on whichever database the suite runs on. `npm run fuzz -- --runs N --seed S` runs it longer.
import { expect, it } from 'vitest'
import { useTestApp } from '../helpers/app.js'
import { fuzz, report } from './fuzzer.js'
import { makeWorld } from './world.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 30)
const SEED = Number(process.env.FUZZ_SEED ?? 20261203)

const ctx = useTestApp()

it(`no operation answers a malformed request with a 5xx or outside the contract (${RUNS} requests each, seed ${SEED})`, async () => {
  const world = await makeWorld(ctx.app)
  const failures = await fuzz(ctx.app, world, { runs: RUNS, seed: SEED, rebuild: () => makeWorld(ctx.app) })
  expect(failures, report(failures)).toEqual([])
}, 240_000)
