// Server-side cookie sessions: in the database, or in Redis when REDIS_URL is set. Only a hash of the
// session id is stored.
import { and, eq, gt, ne } from 'drizzle-orm'
import { randomToken, sha256Hex } from '../../platform/crypto.js'
import type { Database } from '../../platform/db/index.js'
import type { Redis } from '../../platform/redis.js'
import { authSessions } from './tables.js'

export interface SessionStore {
  /** Starts a session and returns the id to put in the cookie. */
  create(userId: string, now: Date, expiresAt: Date): Promise<string>
  /** The user of a live session, or null. */
  userOf(sessionId: string, now: Date): Promise<string | null>
  destroy(sessionId: string): Promise<void>
  /** Ends every session of the user, but `keepSessionId`'s when given. */
  destroyForUser(userId: string, keepSessionId?: string): Promise<void>
}

export function databaseSessionStore(db: Database): SessionStore {
  return {
    async create(userId, now, expiresAt) {
      const id = randomToken(32)
      await db.insert(authSessions).values({ idHash: sha256Hex(id), userId, createdAt: now, expiresAt })
      return id
    },
    async userOf(sessionId, now) {
      const [row] = await db
        .select({ userId: authSessions.userId })
        .from(authSessions)
        .where(and(eq(authSessions.idHash, sha256Hex(sessionId)), gt(authSessions.expiresAt, now)))
      return row?.userId ?? null
    },
    async destroy(sessionId) {
      await db.delete(authSessions).where(eq(authSessions.idHash, sha256Hex(sessionId)))
    },
    async destroyForUser(userId, keepSessionId) {
      const keep = keepSessionId ? ne(authSessions.idHash, sha256Hex(keepSessionId)) : undefined
      await db.delete(authSessions).where(and(eq(authSessions.userId, userId), keep))
    },
  }
}

export function redisSessionStore(redis: Redis): SessionStore {
  const sessionKey = (hash: string) => `session:${hash}`
  const userKey = (userId: string) => `user-sessions:${userId}`
  return {
    async create(userId, now, expiresAt) {
      const id = randomToken(32)
      const hash = sha256Hex(id)
      const ttl = Math.max(1, expiresAt.getTime() - now.getTime())
      await redis.multi().set(sessionKey(hash), userId, 'PX', ttl).sadd(userKey(userId), hash).exec()
      return id
    },
    async userOf(sessionId) {
      return redis.get(sessionKey(sha256Hex(sessionId)))
    },
    async destroy(sessionId) {
      const hash = sha256Hex(sessionId)
      const userId = await redis.get(sessionKey(hash))
      const steps = redis.multi().del(sessionKey(hash))
      if (userId) steps.srem(userKey(userId), hash)
      await steps.exec()
    },
    async destroyForUser(userId, keepSessionId) {
      const keep = keepSessionId ? sha256Hex(keepSessionId) : undefined
      const hashes = (await redis.smembers(userKey(userId))).filter((hash) => hash !== keep)
      if (hashes.length === 0) return
      await redis
        .multi()
        .del(...hashes.map(sessionKey))
        .srem(userKey(userId), ...hashes)
        .exec()
    },
  }
}
