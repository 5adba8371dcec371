// What the accounts services run on, built once per app from its config and dependencies.

import type { Clock } from '../../platform/clock.js'
import type { Config } from '../../platform/config.js'
import type { CounterStore } from '../../platform/counters.js'
import { deriveKey } from '../../platform/crypto.js'
import type { Database } from '../../platform/db/index.js'
import type { Redis } from '../../platform/redis.js'
import type { Actor } from '../audit/service.js'
import { sealMailToken } from '../mail/messages.js'
import { dummyHash, type PasswordHasher } from './hasher.js'
import { databaseSessionStore, redisSessionStore, type SessionStore } from './session-store.js'
import { createTokenService, type TokenService } from './tokens.js'
import { createUserStates, type UserStates } from './user-states.js'
import type { UserRow } from './users.js'

export type AccountsContext = {
  db: Database
  clock: Clock
  hasher: PasswordHasher
  dummyHash: () => Promise<string>
  tokens: TokenService
  sessions: SessionStore
  /** Each caller's current role and flags: the source of every permission. */
  userStates: UserStates
  counters: CounterStore
  /** Seals TOTP secrets at rest. */
  totpKey: Buffer
  /** Seals a token for the outbox row that mails it (the row is readable until the email is sent). */
  sealMailToken: (token: string) => string
  lockout: { attempts: number; windowMs: number }
  sessionTtlMs: number
  hooks: AccountHooks
}

/** What other modules do when accounts change, inside the same transaction. */
export type AccountHooks = {
  /** Registration is open (a platform setting). */
  registrationOpen(): Promise<boolean>
  /** A user became a creator (at registration, or through an admin): give them a business of their own. */
  creatorCreated(tx: Database, user: UserRow, actor: Actor): Promise<void>
  /** Fields shown beside a user's sessions in the public catalog changed (after the commit). */
  publicProfileChanged(): Promise<void>
}

export function createAccountsContext(
  config: Config,
  deps: { db: Database; redis: Redis | null; clock: Clock; hasher: PasswordHasher; counters: CounterStore },
  hooks: AccountHooks,
): AccountsContext {
  return {
    db: deps.db,
    clock: deps.clock,
    hasher: deps.hasher,
    dummyHash: dummyHash(deps.hasher),
    tokens: createTokenService(config.secretKey, deps.clock, {
      accessMs: config.jwtAccessTtlMs,
      refreshMs: config.jwtRefreshTtlMs,
    }),
    sessions: deps.redis ? redisSessionStore(deps.redis) : databaseSessionStore(deps.db),
    userStates: createUserStates(deps.db, deps.clock, deps.redis),
    counters: deps.counters,
    totpKey: deriveKey(config.secretKey, 'totp-secret'),
    sealMailToken: (token) => sealMailToken(config.secretKey, token),
    lockout: { attempts: config.lockoutAttempts, windowMs: config.lockoutWindowMs },
    sessionTtlMs: config.sessionTtlMs,
    hooks,
  }
}
