// Refresh tokens: stored by hash, rotated on every use; presenting a rotated token again revokes its
// whole family (someone else holds a copy).
import { randomUUID } from 'node:crypto'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { sha256Hex } from '../../platform/crypto.js'
import type { AccountsContext } from './context.js'
import { refreshTokens } from './tables.js'
import { tokenInvalid } from './tokens.js'
import { findUserById, type UserRow } from './users.js'

export type TokenPairOut = { access: string; refresh: string }

/** A new access token and a refresh token of `familyId` (a new family at login). */
export async function issueTokenPair(
  ctx: AccountsContext,
  user: UserRow,
  familyId: string = randomUUID(),
): Promise<TokenPairOut> {
  const refresh = ctx.tokens.issueRefresh(user.id, familyId)
  await ctx.db.insert(refreshTokens).values({
    id: refresh.claims.jti,
    userId: user.id,
    familyId,
    tokenHash: sha256Hex(refresh.token),
    createdAt: new Date(refresh.claims.iat * 1000),
    expiresAt: new Date(refresh.claims.exp * 1000),
  })
  return {
    access: ctx.tokens.issueAccess(user.id),
    refresh: refresh.token,
  }
}

export async function rotateRefreshToken(ctx: AccountsContext, token: string): Promise<TokenPairOut> {
  const claims = ctx.tokens.verifyRefresh(token)
  const now = ctx.clock.now()
  const tokenHash = sha256Hex(token)
  const [current] = await ctx.db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(
      and(
        eq(refreshTokens.tokenHash, tokenHash),
        isNull(refreshTokens.rotatedAt),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, now),
      ),
    )
    .returning({ userId: refreshTokens.userId, familyId: refreshTokens.familyId })
  if (!current) {
    const [known] = await ctx.db
      .select({ rotatedAt: refreshTokens.rotatedAt, familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
    if (known?.rotatedAt) {
      await ctx.db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.familyId, known.familyId), isNull(refreshTokens.revokedAt)))
    }
    throw tokenInvalid()
  }
  const user = await findUserById(ctx.db, current.userId)
  if (!user?.isActive || user.id !== claims.sub) throw tokenInvalid()
  return issueTokenPair(ctx, user, current.familyId)
}

/** Blacklists a refresh token (logout). */
export async function revokeRefreshToken(ctx: AccountsContext, token: string): Promise<void> {
  ctx.tokens.verifyRefresh(token)
  const revoked = await ctx.db
    .update(refreshTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(refreshTokens.tokenHash, sha256Hex(token)), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id })
  if (revoked.length === 0) throw tokenInvalid()
}
