// A response cache with namespace-wide invalidation: every key lives under its namespace's version,
// and a write bumps the version, so all of the namespace's entries are dropped at once. In process in
// the embedded mode; in Redis when REDIS_URL is set, so every web process sees the same bump.
import { afterCommit } from './db/request-transaction.js'
import type { Redis } from './redis.js'

export interface Cache {
  /** The cached value and the namespace version it was read under (to store a miss under). */
  get(namespace: string, key: string): Promise<{ value: string | null; version: string }>
  /** Stores under `version`: a value computed before a concurrent bump is never served after it. */
  set(namespace: string, version: string, key: string, value: string, ttlMs: number): Promise<void>
  /** Drops every entry of the namespace. */
  invalidate(namespace: string): Promise<void>
}

const MAX_MEMORY_ENTRIES = 5000

export class MemoryCache implements Cache {
  private readonly versions = new Map<string, number>()
  private readonly entries = new Map<string, { value: string; expiresAt: number }>()

  async get(namespace: string, key: string) {
    const version = String(this.versions.get(namespace) ?? 0)
    const entry = this.entries.get(`${namespace}:${version}:${key}`)
    if (!entry || entry.expiresAt <= Date.now()) return { value: null, version }
    return { value: entry.value, version }
  }

  async set(namespace: string, version: string, key: string, value: string, ttlMs: number) {
    if (String(this.versions.get(namespace) ?? 0) !== version) return
    // Oldest first out: Map keeps insertion order.
    if (this.entries.size >= MAX_MEMORY_ENTRIES)
      this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(`${namespace}:${version}:${key}`, { value, expiresAt: Date.now() + ttlMs })
  }

  async invalidate(namespace: string) {
    this.versions.set(namespace, (this.versions.get(namespace) ?? 0) + 1)
    for (const key of this.entries.keys()) if (key.startsWith(`${namespace}:`)) this.entries.delete(key)
  }
}

// One round trip: the namespace's version and the entry stored under it.
const GET_VERSIONED = `
local version = redis.call('GET', KEYS[1]) or '0'
return { version, redis.call('GET', KEYS[1] .. ':' .. version .. ':' .. ARGV[1]) }
`

export class RedisCache implements Cache {
  constructor(private readonly redis: Redis) {}

  private versionKey(namespace: string) {
    return `cache:${namespace}:version`
  }

  async get(namespace: string, key: string) {
    const [version, value] = (await this.redis.eval(GET_VERSIONED, 1, this.versionKey(namespace), key)) as [
      string,
      string | null,
    ]
    return { value, version }
  }

  async set(namespace: string, version: string, key: string, value: string, ttlMs: number) {
    await this.redis.set(`${this.versionKey(namespace)}:${version}:${key}`, value, 'PX', ttlMs)
  }

  async invalidate(namespace: string) {
    await this.redis.incr(this.versionKey(namespace))
  }
}

/** In Redis or in process; a drop asked for inside a request transaction waits for its commit. */
export function openCache(redis: Redis | null): Cache {
  const cache = redis ? new RedisCache(redis) : new MemoryCache()
  return {
    get: (namespace, key) => cache.get(namespace, key),
    set: (namespace, version, key, value, ttlMs) => cache.set(namespace, version, key, value, ttlMs),
    invalidate: (namespace) => afterCommit(() => cache.invalidate(namespace)),
  }
}
