// Feed tokens: the URL's token is HMAC-SHA256(key, "<feed id>:<nonce>") with a key derived from
// SECRET_KEY, so the database holds neither the token nor enough to make it (only the nonce and the
// token's SHA-256, which finds the feed). Rotating replaces the nonce: the old URL answers 404.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { Database } from '../../platform/db/database.js'
import { ownedBy } from '../../platform/tenancy.js'
import { calendarFeeds } from './tables.js'

/** Whose bookings and reservations a feed shows: one user's, or one business's. */
export type FeedOwner = { kind: 'user'; userId: string } | { kind: 'business'; businessId: string }

const tokenOf = (key: Buffer, id: string, nonce: string) =>
  createHmac('sha256', key).update(`${id}:${nonce}`).digest('base64url')
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const newNonce = () => randomBytes(16).toString('base64url')

const ownerIs = (owner: FeedOwner) =>
  owner.kind === 'user'
    ? and(eq(calendarFeeds.userId, owner.userId), isNull(calendarFeeds.businessId))
    : ownedBy(calendarFeeds, owner.businessId)

const ownerColumns = (owner: FeedOwner) =>
  owner.kind === 'user' ? { userId: owner.userId } : { businessId: owner.businessId }

/** The owner's feed token, making the feed on first use (concurrent first uses agree on one). */
export async function feedToken(db: Database, key: Buffer, owner: FeedOwner): Promise<string> {
  const [found] = await db.select().from(calendarFeeds).where(ownerIs(owner))
  if (found) return tokenOf(key, found.id, found.nonce)
  const id = randomUUID()
  const nonce = newNonce()
  await db
    .insert(calendarFeeds)
    .values({ id, nonce, tokenHash: hashOf(tokenOf(key, id, nonce)), ...ownerColumns(owner) })
    .onConflictDoNothing()
  const [made] = await db.select().from(calendarFeeds).where(ownerIs(owner))
  if (!made) throw new Error('calendar feed vanished after insert')
  return tokenOf(key, made.id, made.nonce)
}

/** A new token for the owner's feed; the previous one stops working. */
export async function rotateFeed(db: Database, key: Buffer, owner: FeedOwner, now: Date): Promise<string> {
  const [found] = await db.select({ id: calendarFeeds.id }).from(calendarFeeds).where(ownerIs(owner))
  if (!found) return feedToken(db, key, owner)
  const nonce = newNonce()
  await db
    .update(calendarFeeds)
    .set({ nonce, tokenHash: hashOf(tokenOf(key, found.id, nonce)), rotatedAt: now })
    .where(eq(calendarFeeds.id, found.id))
  return tokenOf(key, found.id, nonce)
}

/** The feed a token opens, or null (unknown or rotated). */
export async function feedByToken(db: Database, token: string): Promise<FeedOwner | null> {
  const [feed] = await db
    .select({ userId: calendarFeeds.userId, businessId: calendarFeeds.businessId })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.tokenHash, hashOf(token)))
  if (!feed) return null
  if (feed.businessId) return { kind: 'business', businessId: feed.businessId }
  return feed.userId ? { kind: 'user', userId: feed.userId } : null
}
