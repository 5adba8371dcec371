// Atomic fixed-window counters shared by account lockout and request throttles: in process
// (embedded mode) or in Redis when REDIS_URL is set, so several web processes share them.
// Every operation takes the caller's `now` (from the injected clock) and compares it with the
// window end stored in the value; Redis TTLs only collect garbage, well after the window ends.

import { createHash } from 'node:crypto'
import type { Redis } from './redis.js'

/** `resetAt`: epoch ms when the window ends. */
export type CounterState = { count: number; resetAt: number }

export interface CounterStore {
  /** Atomically adds one to `key`'s window, starting a new window of `windowMs` if none is open at `now`. */
  hit(key: string, windowMs: number, now: number): Promise<CounterState>
  /** The open window's state at `now`, or null. */
  peek(key: string, now: number): Promise<CounterState | null>
  /** Moves the open window's end to `resetAt` (lockout: lock for a full window from the failure that reached the limit). No-op without a window. */
  extend(key: string, resetAt: number): Promise<void>
  clear(key: string): Promise<void>
}

/** Sweep expired entries at least this often (in the callers' time) ... */
const SWEEP_INTERVAL_MS = 60_000
/** ... and whenever the map has doubled since the last sweep (at least this many entries). */
const SWEEP_MIN_SIZE = 1024

export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, CounterState>()
  private nextSweepAt = Number.NEGATIVE_INFINITY
  private sweepAtSize = SWEEP_MIN_SIZE

  /** Number of entries held, expired or not (for tests). */
  get size(): number {
    return this.entries.size
  }

  async hit(key: string, windowMs: number, now: number): Promise<CounterState> {
    this.maybeSweep(now)
    const entry = this.entries.get(key)
    if (entry && entry.resetAt > now) {
      entry.count += 1
      return { ...entry }
    }
    const fresh = { count: 1, resetAt: now + windowMs }
    this.entries.set(key, fresh)
    return { ...fresh }
  }

  async peek(key: string, now: number): Promise<CounterState | null> {
    const entry = this.entries.get(key)
    return entry && entry.resetAt > now ? { ...entry } : null
  }

  async extend(key: string, resetAt: number): Promise<void> {
    const entry = this.entries.get(key)
    if (entry) entry.resetAt = resetAt
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key)
  }

  /** Drops expired entries: at most once a minute, or when the map has doubled since the last sweep. */
  private maybeSweep(now: number): void {
    if (now < this.nextSweepAt && this.entries.size < this.sweepAtSize) return
    for (const [key, entry] of this.entries) {
      if (entry.resetAt <= now) this.entries.delete(key)
    }
    this.nextSweepAt = now + SWEEP_INTERVAL_MS
    this.sweepAtSize = Math.max(SWEEP_MIN_SIZE, this.entries.size * 2)
  }
}

/**
 * Keys are hashes `{ c: count, r: resetAt }`. Each key expires (garbage collection only) this long
 * after its window ends, on top of the window's remaining length, so clock skew between
 * processes or a test clock never loses an open window.
 */
const GC_MARGIN_MS = 60_000

// KEYS[1]; ARGV: now, resetAt of a new window, margin. Returns { count, resetAt as stored }.
const HIT = `
local now = tonumber(ARGV[1])
local reset = tonumber(redis.call('HGET', KEYS[1], 'r'))
local count
if reset == nil or reset <= now then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'c', 1, 'r', ARGV[2])
  reset = tonumber(ARGV[2])
  count = 1
else
  count = redis.call('HINCRBY', KEYS[1], 'c', 1)
end
local remaining = math.max(reset - now, 0)
redis.call('PEXPIRE', KEYS[1], math.floor(remaining * 2 + tonumber(ARGV[3])))
return { count, redis.call('HGET', KEYS[1], 'r') }
`

// KEYS[1]; ARGV: new resetAt. Shifts the garbage-collection expiry by as much as the window end moved.
const EXTEND = `
local old = tonumber(redis.call('HGET', KEYS[1], 'r'))
if old == nil then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
local moved = tonumber(ARGV[1]) - old
if ttl > 0 and moved > 0 then
  redis.call('PEXPIRE', KEYS[1], math.floor(ttl + moved * 2))
end
return 1
`

type Script = { source: string; sha: string }

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

export class RedisCounterStore implements CounterStore {
  private readonly hitScript = script(HIT)
  private readonly extendScript = script(EXTEND)

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'counter:',
  ) {}

  async hit(key: string, windowMs: number, now: number): Promise<CounterState> {
    const reply = await this.run(this.hitScript, this.prefix + key, [
      String(now),
      String(now + windowMs),
      String(GC_MARGIN_MS),
    ])
    if (!Array.isArray(reply)) throw new Error('unexpected reply from the counter hit script')
    return { count: Number(reply[0]), resetAt: Number(reply[1]) }
  }

  async peek(key: string, now: number): Promise<CounterState | null> {
    const [count, resetAt] = await this.redis.hmget(this.prefix + key, 'c', 'r')
    if (count == null || resetAt == null || Number(resetAt) <= now) return null
    return { count: Number(count), resetAt: Number(resetAt) }
  }

  async extend(key: string, resetAt: number): Promise<void> {
    await this.run(this.extendScript, this.prefix + key, [String(resetAt)])
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key)
  }

  /** EVALSHA, loading the script with EVAL when the server does not know it yet (as ioredis' defineCommand does). */
  private async run(script: Script, key: string, args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, 1, key, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await this.redis.eval(script.source, 1, key, ...args)
    }
  }
}

/** Counters in Redis when there is a connection, else in this process. */
export function openCounterStore(redis: Redis | null): CounterStore {
  return redis ? new RedisCounterStore(redis) : new MemoryCounterStore()
}
