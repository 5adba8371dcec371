// What a caller may do is decided by their current row (role, staff flag, active flag), never by the
// claims of a token issued before a change. Every authenticated request needs it, so it is cached per
// process; every change to those fields drops the user's entry here and, through Redis, in every
// other process. Entries also expire, a bound for a change whose message was lost with a crash.
import { eq } from 'drizzle-orm'
import { openBroadcast } from '../../platform/broadcast.js'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import type { Role } from '../../platform/http/guards.js'
import type { Redis } from '../../platform/redis.js'
import { users } from './tables.js'

export type UserState = { role: Role; isStaff: boolean; isActive: boolean }

const CHANNEL = 'tessera:user-changed'
export const USER_STATE_TTL_MS = 10_000
const MAX_ENTRIES = 10_000

export type UserStates = {
  /** The user's current role and flags; null for a user that does not exist. */
  get(userId: string): Promise<UserState | null>
  /** Call after committing a change to a user's role, staff or active flag. */
  changed(userId: string): Promise<void>
  close(): void
}

export function createUserStates(db: Database, clock: Clock, redis: Redis | null): UserStates {
  const entries = new Map<string, { state: UserState | null; loadedAt: number }>()
  // Bumped by every drop: a load that started before a drop must not store what it read.
  let epoch = 0
  const drop = (userId: string) => {
    epoch += 1
    entries.delete(userId)
  }
  const dropAll = () => {
    epoch += 1
    entries.clear()
  }
  const broadcast = openBroadcast(redis, CHANNEL, drop, dropAll)

  async function load(userId: string): Promise<UserState | null> {
    const [row] = await db
      .select({ role: users.role, isStaff: users.isStaff, isActive: users.isActive })
      .from(users)
      .where(eq(users.id, userId))
    return row ?? null
  }

  return {
    async get(userId) {
      const now = clock.now().getTime()
      const entry = entries.get(userId)
      if (entry && now - entry.loadedAt < USER_STATE_TTL_MS) return entry.state
      const startedAt = epoch
      const state = await load(userId)
      if (epoch === startedAt) {
        entries.delete(userId)
        // Oldest first out: a Map keeps insertion order.
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
        entries.set(userId, { state, loadedAt: now })
      }
      return state
    },
    async changed(userId) {
      drop(userId)
      await broadcast.publish(userId)
    },
    close: () => broadcast.close(),
  }
}
