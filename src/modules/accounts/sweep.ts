// Expired credentials are dead weight: a cookie session, refresh token or mailed token past its expiry
// is refused by its own check, so its row can go.
import { lt } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { deleteInBatches } from '../../platform/db/sweep.js'
import { accountTokens, authSessions, refreshTokens } from './tables.js'

export async function sweepExpiredCredentials(db: Database, now: Date): Promise<number> {
  return (
    (await deleteInBatches(db, authSessions, authSessions.idHash, lt(authSessions.expiresAt, now))) +
    (await deleteInBatches(db, refreshTokens, refreshTokens.id, lt(refreshTokens.expiresAt, now))) +
    (await deleteInBatches(db, accountTokens, accountTokens.tokenHash, lt(accountTokens.expiresAt, now)))
  )
}
