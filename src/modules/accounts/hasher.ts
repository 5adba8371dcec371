// Argon2id password hashing. @node-rs/argon2 runs each hash on libuv's thread pool, so the event loop
// keeps serving while a login is verified.
import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(encoded: string, password: string): Promise<boolean>
}

// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, ARGON2ID),
  async verify(encoded, password) {
    try {
      return await verify(encoded, password)
    } catch {
      return false
    }
  },
}

/**
 * A hash of a random password, verified against when the account does not exist, so that a login for
 * an unknown user costs the same as one with a wrong password.
 */
export function dummyHash(hasher: PasswordHasher): () => Promise<string> {
  let value: Promise<string> | undefined
  return () => {
    value ??= hasher.hash(randomBytes(16).toString('hex'))
    return value
  }
}
