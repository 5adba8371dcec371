// The rendered-feed cache: the digest covers every printed field, and a kept body is reused.
import { describe, expect, it } from 'vitest'
import type { FeedEvent } from '../../../src/modules/calendar/ics.js'
import { feedDigest, renderedOnce } from '../../../src/modules/calendar/rendered.js'

const event: FeedEvent = {
  uid: 'booking-1@tessera',
  start: new Date('2027-01-10T09:30:00Z'),
  end: new Date('2027-01-10T10:15:00Z'),
  summary: 'Pilates · Lotus',
  status: 'pending',
  updatedAt: new Date('2027-01-01T08:00:00Z'),
}

describe('rendered feeds', () => {
  it('digest every printed field: a change of any gives another digest', () => {
    const digest = feedDigest('Studio', [event])
    expect(feedDigest('Studio', [{ ...event }])).toBe(digest)
    const changed: FeedEvent[] = [
      { ...event, uid: 'booking-2@tessera' },
      { ...event, start: new Date('2027-01-10T09:31:00Z') },
      { ...event, end: new Date('2027-01-10T10:16:00Z') },
      { ...event, summary: 'Yoga · Lotus' },
      { ...event, status: 'cancelled' },
      { ...event, updatedAt: new Date('2027-01-02T08:00:00Z') },
    ]
    const digests = new Set([
      digest,
      feedDigest('Other', [event]),
      ...changed.map((other) => feedDigest('Studio', [other])),
    ])
    expect(digests.size).toBe(changed.length + 2)
    expect(feedDigest('Studio', [])).not.toBe(digest)
  })

  it('render a feed once per digest', () => {
    let renders = 0
    const render = () => {
      renders += 1
      return `body ${renders}`
    }
    const digest = feedDigest(`render-once-${Date.now()}`, [event])
    expect(renderedOnce(digest, render)).toBe('body 1')
    expect(renderedOnce(digest, render)).toBe('body 1')
    expect(renders).toBe(1)
  })
})
