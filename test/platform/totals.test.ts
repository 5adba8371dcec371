// The running totals behind /metrics: in memory one process's own; in Redis one set that every process
// (web processes and the worker, each on a connection of its own) adds to and reads alike.
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { openRedis, type Redis } from '../../src/platform/redis.js'
import { MemoryTotals, openTotals, RedisTotals } from '../../src/platform/totals.js'

const redisUrl = process.env.REDIS_URL
const prefix = `test:totals:${randomUUID()}:`
const quiet = { warn: () => {}, info: () => {} }
const connections = redisUrl ? [openRedis(redisUrl, quiet, prefix), openRedis(redisUrl, quiet, prefix)] : []

afterAll(async () => {
  const [redis] = connections
  await redis?.del('metrics:totals')
  for (const connection of connections) connection.disconnect()
})

describe('totals', () => {
  it('in memory: counts what this process adds', async () => {
    const totals = new MemoryTotals()
    totals.add('bookings_created')
    totals.add('emails_sent', 3)
    totals.add('emails_failed', 0)
    expect(totals.shared).toBe(false)
    expect(await totals.read()).toEqual({
      bookings_created: 1,
      reservations_created: 0,
      emails_sent: 3,
      emails_failed: 0,
    })
  })

  it.skipIf(!redisUrl)('in Redis: what one process adds, another reads', async () => {
    const [web, worker] = connections as [Redis, Redis]
    const inWeb = openTotals(web)
    const inWorker = new RedisTotals(worker)
    expect(inWeb.shared).toBe(true)
    inWeb.add('bookings_created')
    inWorker.add('emails_sent', 2)
    inWorker.add('emails_sent')
    // Adding does not wait; a round trip on each connection lets its additions land.
    await Promise.all([web.ping(), worker.ping()])
    const expected = { bookings_created: 1, reservations_created: 0, emails_sent: 3, emails_failed: 0 }
    expect(await inWeb.read()).toEqual(expected)
    expect(await inWorker.read()).toEqual(expected)
  })
})
