import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.js'
import {
  type CounterStore,
  MemoryCounterStore,
  openCounterStore,
  RedisCounterStore,
} from '../../src/platform/counters.js'

const redisUrl = process.env.REDIS_URL
// A prefix of this file's own, so parallel files and runs never share keys.
const prefix = `test:counters:${randomUUID()}:`
const redis = redisUrl ? new Redis(redisUrl) : null

afterAll(async () => {
  if (!redis) return
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

const MINUTE = 60_000

const implementations: [string, () => CounterStore][] = [['memory', () => new MemoryCounterStore()]]
if (redis) implementations.push(['redis', () => new RedisCounterStore(redis, prefix)])

describe.each(implementations)('%s counter store', (_name, open) => {
  const store = open()
  const newClock = () => new ManualClock(new Date('2030-01-01T00:00:00.000Z'))

  it('counts hits within a window', async () => {
    const clock = newClock()
    const k = key()
    const start = clock.now().getTime()
    expect(await store.hit(k, MINUTE, start)).toEqual({ count: 1, resetAt: start + MINUTE })
    clock.advance(10_000)
    expect(await store.hit(k, MINUTE, clock.now().getTime())).toEqual({ count: 2, resetAt: start + MINUTE })
    clock.advance(49_999)
    expect(await store.hit(k, MINUTE, clock.now().getTime())).toEqual({ count: 3, resetAt: start + MINUTE })
  })

  it('keeps keys apart', async () => {
    const now = newClock().now().getTime()
    const [a, b] = [key(), key()]
    await store.hit(a, MINUTE, now)
    await store.hit(a, MINUTE, now)
    expect(await store.hit(b, MINUTE, now)).toMatchObject({ count: 1 })
    expect(await store.peek(a, now)).toMatchObject({ count: 2 })
  })

  it('starts a new window at resetAt', async () => {
    const clock = newClock()
    const k = key()
    const first = await store.hit(k, MINUTE, clock.now().getTime())
    await store.hit(k, MINUTE, clock.now().getTime())
    clock.set(new Date(first.resetAt))
    const now = clock.now().getTime()
    expect(await store.peek(k, now)).toBeNull()
    expect(await store.hit(k, MINUTE, now)).toEqual({ count: 1, resetAt: now + MINUTE })
    clock.advance(5 * MINUTE)
    expect(await store.hit(k, 2 * MINUTE, clock.now().getTime())).toEqual({
      count: 1,
      resetAt: clock.now().getTime() + 2 * MINUTE,
    })
  })

  it('peeks at the open window without counting', async () => {
    const clock = newClock()
    const k = key()
    const now = clock.now().getTime()
    expect(await store.peek(k, now)).toBeNull()
    await store.hit(k, MINUTE, now)
    expect(await store.peek(k, now)).toEqual({ count: 1, resetAt: now + MINUTE })
    expect(await store.peek(k, now)).toEqual({ count: 1, resetAt: now + MINUTE })
    clock.advance(MINUTE - 1)
    expect(await store.peek(k, clock.now().getTime())).toEqual({ count: 1, resetAt: now + MINUTE })
    clock.advance(1)
    expect(await store.peek(k, clock.now().getTime())).toBeNull()
  })

  it('extend moves the end of the window', async () => {
    const clock = newClock()
    const k = key()
    const start = clock.now().getTime()
    await store.hit(k, MINUTE, start)
    clock.advance(50_000)
    // Lockout: the failure that reached the limit locks for a full window from now.
    const lockedUntil = clock.now().getTime() + 15 * MINUTE
    await store.extend(k, lockedUntil)
    expect(await store.peek(k, clock.now().getTime())).toEqual({ count: 1, resetAt: lockedUntil })
    clock.set(new Date(start + MINUTE + 1))
    expect(await store.hit(k, MINUTE, clock.now().getTime())).toEqual({ count: 2, resetAt: lockedUntil })
    clock.set(new Date(lockedUntil))
    expect(await store.peek(k, clock.now().getTime())).toBeNull()
    expect(await store.hit(k, MINUTE, lockedUntil)).toEqual({ count: 1, resetAt: lockedUntil + MINUTE })
    // It can shorten a window too.
    await store.extend(k, lockedUntil + 1000)
    expect(await store.peek(k, lockedUntil + 999)).toMatchObject({ count: 1 })
    expect(await store.peek(k, lockedUntil + 1000)).toBeNull()
  })

  it('extend without a window does nothing', async () => {
    const now = newClock().now().getTime()
    const k = key()
    await store.extend(k, now + MINUTE)
    expect(await store.peek(k, now)).toBeNull()
    expect(await store.hit(k, 1000, now)).toEqual({ count: 1, resetAt: now + 1000 })
  })

  it('clear forgets the window', async () => {
    const now = newClock().now().getTime()
    const k = key()
    await store.hit(k, MINUTE, now)
    await store.hit(k, MINUTE, now)
    await store.clear(k)
    expect(await store.peek(k, now)).toBeNull()
    expect(await store.hit(k, MINUTE, now + 1)).toEqual({ count: 1, resetAt: now + 1 + MINUTE })
    await store.clear(key()) // an unknown key is fine
  })

  it('follows the caller clock even far from real time', async () => {
    // A clock years in the past must not make a window vanish (TTLs only collect garbage).
    const clock = new ManualClock(new Date('2001-01-01T00:00:00.000Z'))
    const k = key()
    await store.hit(k, MINUTE, clock.now().getTime())
    clock.advance(30_000)
    expect(await store.hit(k, MINUTE, clock.now().getTime())).toMatchObject({ count: 2 })
  })

  it('never loses or repeats a count under 200 concurrent hits', async () => {
    const now = newClock().now().getTime()
    const k = key()
    const states = await Promise.all(Array.from({ length: 200 }, () => store.hit(k, MINUTE, now)))
    expect(states.map((state) => state.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    )
    expect(new Set(states.map((state) => state.resetAt))).toEqual(new Set([now + MINUTE]))
    expect(await store.peek(k, now)).toEqual({ count: 200, resetAt: now + MINUTE })
  })

  it('opens only one window when concurrent hits race at a window boundary', async () => {
    const now = newClock().now().getTime()
    const k = key()
    await store.hit(k, 1000, now)
    const later = now + 1000
    const states = await Promise.all(Array.from({ length: 50 }, () => store.hit(k, MINUTE, later)))
    expect(states.map((state) => state.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
    expect(await store.peek(k, later)).toEqual({ count: 50, resetAt: later + MINUTE })
  })
})

describe('MemoryCounterStore', () => {
  it('sweeps expired entries so memory stays bounded', async () => {
    const store = new MemoryCounterStore()
    const clock = new ManualClock(new Date('2030-01-01T00:00:00.000Z'))
    for (let i = 0; i < 5000; i++) await store.hit(`a${i}`, 1000, clock.now().getTime())
    expect(store.size).toBeLessThanOrEqual(5000)
    clock.advance(2 * MINUTE)
    // The first hit after a minute sweeps every expired window.
    await store.hit('b', 1000, clock.now().getTime())
    expect(store.size).toBe(1)
    // A burst of short-lived keys is swept when the map grows, not only once a minute.
    for (let i = 0; i < 10_000; i++) {
      clock.advance(1)
      await store.hit(`c${i}`, 1, clock.now().getTime())
    }
    expect(store.size).toBeLessThanOrEqual(2048)
  })

  it('keeps open windows through a sweep', async () => {
    const store = new MemoryCounterStore()
    const now = Date.UTC(2030, 0, 1)
    await store.hit('long', 10 * MINUTE, now)
    await store.hit('short', 1000, now)
    await store.hit('other', 1000, now + 2 * MINUTE)
    expect(store.size).toBe(2)
    expect(await store.peek('long', now + 2 * MINUTE)).toEqual({ count: 1, resetAt: now + 10 * MINUTE })
  })
})

describe('openCounterStore', () => {
  it('keeps counters in process without Redis', () => {
    expect(openCounterStore(null)).toBeInstanceOf(MemoryCounterStore)
  })

  it.runIf(redis)('uses Redis when connected', () => {
    expect(openCounterStore(redis)).toBeInstanceOf(RedisCounterStore)
  })
})

describe.runIf(redis)('RedisCounterStore in Redis', () => {
  it('sets an expiry on every key, past the end of its window', async () => {
    if (!redis) return
    const store = new RedisCounterStore(redis, prefix)
    const k = key()
    const now = Date.now()
    await store.hit(k, MINUTE, now)
    const ttl = await redis.pttl(prefix + k)
    expect(ttl).toBeGreaterThan(MINUTE)
    await store.extend(k, now + 60 * MINUTE)
    expect(await redis.pttl(prefix + k)).toBeGreaterThan(60 * MINUTE)
  })
})

function key() {
  return `k:${randomUUID()}`
}
