// Calendar feeds: the caller's own, or a business's for its staff (the power to read its bookings).
import { eq } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/database.js'
import { type Caller, requirePower, requireStanding } from '../businesses/access.js'
import { businesses } from '../businesses/tables.js'
import { feedEvents } from './events.js'
import { type FeedOwner, feedByToken, feedToken, rotateFeed } from './feeds.js'
import { renderCalendar } from './ics.js'
import { feedDigest, renderedOnce } from './rendered.js'

export type CalendarDeps = { db: Database; clock: Clock; key: Buffer }

/** The feed a caller asks for: their own, or (with `businessId`) that business's if they are its staff. */
async function ownerFor(db: Database, caller: Caller, businessId?: string): Promise<FeedOwner> {
  if (!businessId) return { kind: 'user', userId: caller.user.id }
  requirePower(await requireStanding(db, caller.user, businessId), 'bookings.read')
  return { kind: 'business', businessId }
}

export async function feedTokenFor(deps: CalendarDeps, caller: Caller, businessId?: string): Promise<string> {
  const owner = await ownerFor(deps.db, caller, businessId)
  return feedToken(deps.db, deps.key, owner)
}

export async function rotateFeedFor(
  deps: CalendarDeps,
  caller: Caller,
  businessId?: string,
): Promise<string> {
  const owner = await ownerFor(deps.db, caller, businessId)
  return rotateFeed(deps.db, deps.key, owner, deps.clock.now())
}

/**
 * The calendar behind a token and its ETag, or null for an unknown or rotated token. A 304 needs no
 * rendering: the ETag is the digest of what the body shows (rendered.ts).
 */
export async function openFeed(
  deps: CalendarDeps,
  token: string,
  knownTags: string[] = [],
): Promise<{ body: string | null; etag: string } | null> {
  const owner = await feedByToken(deps.db, token)
  if (!owner) return null
  const [events, name] = await Promise.all([
    feedEvents(deps.db, owner, deps.clock.now()),
    feedName(deps.db, owner),
  ])
  const digest = feedDigest(name, events)
  const etag = `"${digest}"`
  if (knownTags.includes(etag) || knownTags.includes('*')) return { body: null, etag }
  return { body: renderedOnce(digest, () => renderCalendar(name, events)), etag }
}

async function feedName(db: Database, owner: FeedOwner): Promise<string> {
  if (owner.kind === 'user') return 'My bookings (Tessera)'
  const [row] = await db
    .select({ name: businesses.name })
    .from(businesses)
    .where(eq(businesses.id, owner.businessId))
  return `${row?.name ?? 'Business'} (Tessera)`
}
