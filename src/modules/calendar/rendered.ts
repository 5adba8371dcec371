// Rendered feeds, kept by what they show. ical-generator spends about 0.25 ms an event on line folding
// (a TextEncoder per character), so a feed of 1,000 events costs 250 ms to render: each feed is
// rendered once per content and answered from here until it changes. The key is a digest of every
// field the calendar prints, so a hit is exactly what a render would give; it is also the ETag.
import { createHash } from 'node:crypto'
import type { FeedEvent } from './ics.js'

/** The most rendered text kept in this process; the least recently used feeds go first. */
const MAX_BYTES = 32 * 1024 * 1024

const kept = new Map<string, string>()
let keptBytes = 0

/** A digest of the calendar's name and every printed field of its events. */
export function feedDigest(name: string, events: FeedEvent[]): string {
  const hash = createHash('sha256').update(name)
  for (const event of events)
    hash.update(
      `\n${event.uid}\t${event.start.getTime()}\t${event.end.getTime()}\t${event.status}\t${event.updatedAt.getTime()}\t${event.summary}`,
    )
  return hash.digest('base64url')
}

/** The body for `digest`, rendering it with `render` when it is not kept. */
export function renderedOnce(digest: string, render: () => string): string {
  const found = kept.get(digest)
  if (found !== undefined) {
    kept.delete(digest)
    kept.set(digest, found)
    return found
  }
  const body = render()
  kept.set(digest, body)
  keptBytes += body.length
  for (const [key, value] of kept) {
    if (keptBytes <= MAX_BYTES) break
    kept.delete(key)
    keptBytes -= value.length
  }
  return body
}
