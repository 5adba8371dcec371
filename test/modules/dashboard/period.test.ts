// The dashboard's calendar periods: boundaries in the business's zone, Monday-first ISO weeks, and
// days of 23 or 25 hours where the clocks change (midnight itself skipped in some zones).
import { describe, expect, it } from 'vitest'
import {
  localDate,
  nextSevenDays,
  type Period,
  periodRange,
  startOfLocalDay,
} from '../../../src/modules/dashboard/period.js'

const HOUR = 3_600_000
const iso = (period: Period, now: string, zone: string) => {
  const { from, to } = periodRange(period, new Date(now), zone)
  return { from: from.toISOString(), to: to.toISOString(), hours: (to.getTime() - from.getTime()) / HOUR }
}

describe('periodRange', () => {
  it('gives the UTC day, ISO week, month and year containing now', () => {
    const now = '2026-03-18T12:00:00Z' // a Wednesday
    expect(iso('day', now, 'UTC')).toEqual({
      from: '2026-03-18T00:00:00.000Z',
      to: '2026-03-19T00:00:00.000Z',
      hours: 24,
    })
    expect(iso('week', now, 'UTC')).toEqual({
      from: '2026-03-16T00:00:00.000Z',
      to: '2026-03-23T00:00:00.000Z',
      hours: 168,
    })
    expect(iso('month', now, 'UTC')).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    })
    expect(iso('year', now, 'UTC')).toMatchObject({
      from: '2026-01-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    })
  })

  it('starts the week on Monday: a Monday and a Sunday belong to the week they close or open', () => {
    expect(iso('week', '2026-03-16T00:00:00Z', 'UTC').from).toBe('2026-03-16T00:00:00.000Z')
    expect(iso('week', '2026-03-22T23:59:59Z', 'UTC').from).toBe('2026-03-16T00:00:00.000Z')
    expect(iso('week', '2026-03-23T00:00:00Z', 'UTC').from).toBe('2026-03-23T00:00:00.000Z')
    // A week across a year's end (ISO week 1 of 2026 starts on Monday 2025-12-29).
    expect(iso('week', '2026-01-01T10:00:00Z', 'UTC')).toMatchObject({
      from: '2025-12-29T00:00:00.000Z',
      to: '2026-01-05T00:00:00.000Z',
    })
  })

  it('takes the calendar of the zone, not of UTC', () => {
    // 03:30 UTC on Monday the 23rd is still Sunday 23:30 in New York (EDT, UTC-4).
    expect(iso('week', '2026-03-23T03:30:00Z', 'America/New_York')).toEqual({
      from: '2026-03-16T04:00:00.000Z',
      to: '2026-03-23T04:00:00.000Z',
      hours: 168,
    })
    expect(iso('day', '2026-03-19T02:00:00Z', 'America/New_York')).toMatchObject({
      from: '2026-03-18T04:00:00.000Z',
      to: '2026-03-19T04:00:00.000Z',
    })
    // Tokyo is ahead: 20:00 UTC on the 31st of December is already New Year's Day.
    expect(iso('year', '2026-12-31T20:00:00Z', 'Asia/Tokyo')).toMatchObject({
      from: '2026-12-31T15:00:00.000Z',
      to: '2027-12-31T15:00:00.000Z',
    })
    expect(iso('day', '2026-04-06T12:00:00Z', 'Asia/Kathmandu')).toMatchObject({
      from: '2026-04-05T18:15:00.000Z',
      hours: 24,
    })
  })

  it('gives days, weeks and months of 23 and 25 hours across a DST change (Europe/London)', () => {
    // Spring forward on Sunday 2026-03-29 at 01:00 UTC.
    expect(iso('day', '2026-03-29T12:00:00Z', 'Europe/London')).toEqual({
      from: '2026-03-29T00:00:00.000Z',
      to: '2026-03-29T23:00:00.000Z',
      hours: 23,
    })
    expect(iso('week', '2026-03-29T12:00:00Z', 'Europe/London')).toEqual({
      from: '2026-03-23T00:00:00.000Z',
      to: '2026-03-29T23:00:00.000Z',
      hours: 167,
    })
    expect(iso('month', '2026-03-10T12:00:00Z', 'Europe/London')).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T23:00:00.000Z',
      hours: 31 * 24 - 1,
    })
    // The day after starts at local midnight, now 23:00 UTC.
    expect(iso('day', '2026-03-29T23:30:00Z', 'Europe/London').from).toBe('2026-03-29T23:00:00.000Z')
    // Fall back on Sunday 2026-10-25.
    expect(iso('day', '2026-10-25T12:00:00Z', 'Europe/London')).toEqual({
      from: '2026-10-24T23:00:00.000Z',
      to: '2026-10-26T00:00:00.000Z',
      hours: 25,
    })
  })

  it('starts a day whose midnight the clocks skip at the change (America/Santiago)', () => {
    // 2024-09-08: midnight at UTC-4 became 01:00 at UTC-3, at 04:00 UTC.
    expect(iso('day', '2024-09-08T12:00:00Z', 'America/Santiago')).toEqual({
      from: '2024-09-08T04:00:00.000Z',
      to: '2024-09-09T03:00:00.000Z',
      hours: 23,
    })
    // 2024-04-06: midnight at UTC-3 fell back to 23:00 at UTC-4; the 7th starts at the second midnight.
    expect(iso('day', '2024-04-06T12:00:00Z', 'America/Santiago')).toEqual({
      from: '2024-04-06T03:00:00.000Z',
      to: '2024-04-07T04:00:00.000Z',
      hours: 25,
    })
  })
})

describe('startOfLocalDay', () => {
  it('lets days and months overflow into the next month and year', () => {
    expect(startOfLocalDay(2026, 3, 32, 'UTC').toISOString()).toBe('2026-04-01T00:00:00.000Z')
    expect(startOfLocalDay(2026, 13, 1, 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(startOfLocalDay(2026, 3, 0, 'UTC').toISOString()).toBe('2026-02-28T00:00:00.000Z')
  })

  it('gives a day the zone skipped (Pacific/Apia, 2011-12-30) no length', () => {
    const skipped = startOfLocalDay(2011, 12, 30, 'Pacific/Apia')
    expect(skipped.toISOString()).toBe('2011-12-30T10:00:00.000Z')
    expect(startOfLocalDay(2011, 12, 31, 'Pacific/Apia')).toEqual(skipped)
    expect(startOfLocalDay(2011, 12, 29, 'Pacific/Apia').toISOString()).toBe('2011-12-29T10:00:00.000Z')
  })
})

describe('localDate', () => {
  it('reads the calendar date of an instant in a zone', () => {
    expect(localDate(new Date('2026-03-23T03:30:00Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 3,
      day: 22,
    })
    expect(localDate(new Date('2026-03-23T03:30:00Z'), 'UTC')).toEqual({ year: 2026, month: 3, day: 23 })
  })
})

describe('nextSevenDays', () => {
  it('is the 168 hours from now, DST or not', () => {
    const now = new Date('2026-03-25T12:00:00Z')
    expect(nextSevenDays(now)).toEqual({ from: now, to: new Date('2026-04-01T12:00:00Z') })
  })
})
