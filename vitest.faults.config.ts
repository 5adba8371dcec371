// `npm run test:faults`: the reliability scenarios, one file after another (each starts processes of its
// own and needs the machine's cores to itself), against real PostgreSQL and Redis.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['verbose'],
  },
})
