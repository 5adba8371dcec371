// isoInZone: an instant as a zone's wall-clock time with the offset in force at that instant.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoInZone, zoneOffsetMs } from '../../src/platform/dates.js'

const at = (iso: string) => new Date(iso)

describe('isoInZone', () => {
  it('gives the offset in force on each side of a DST change', () => {
    // Europe/London springs forward at 01:00 UTC on 2026-03-29 and falls back at 01:00 UTC on 2026-10-25.
    expect(isoInZone(at('2026-03-29T00:59:59Z'), 'Europe/London')).toBe('2026-03-29T00:59:59+00:00')
    expect(isoInZone(at('2026-03-29T01:00:00Z'), 'Europe/London')).toBe('2026-03-29T02:00:00+01:00')
    expect(isoInZone(at('2026-10-25T00:30:00Z'), 'Europe/London')).toBe('2026-10-25T01:30:00+01:00')
    expect(isoInZone(at('2026-10-25T01:30:00Z'), 'Europe/London')).toBe('2026-10-25T01:30:00+00:00')
    // America/New_York: 07:00 UTC on 2026-03-08, 06:00 UTC on 2026-11-01.
    expect(isoInZone(at('2026-03-08T06:59:00Z'), 'America/New_York')).toBe('2026-03-08T01:59:00-05:00')
    expect(isoInZone(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08T03:00:00-04:00')
    expect(isoInZone(at('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-04:00')
    expect(isoInZone(at('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00')
  })

  it('writes offsets of hours and minutes, either sign, and UTC as +00:00', () => {
    expect(isoInZone(at('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00')
    expect(isoInZone(at('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30')
    expect(isoInZone(at('2026-01-01T00:00:00Z'), 'Asia/Kathmandu')).toBe('2026-01-01T05:45:00+05:45')
    expect(isoInZone(at('2026-01-01T00:00:00Z'), 'America/St_Johns')).toBe('2025-12-31T20:30:00-03:30')
    expect(isoInZone(at('2026-01-01T12:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-02T02:00:00+14:00')
  })

  it('keeps milliseconds only when there are some', () => {
    expect(isoInZone(at('2026-06-01T09:00:00.250Z'), 'Europe/London')).toBe('2026-06-01T10:00:00.250+01:00')
    expect(isoInZone(at('2026-06-01T09:00:00.000Z'), 'Europe/London')).toBe('2026-06-01T10:00:00+01:00')
  })

  it('always names the same instant, in any zone (property)', () => {
    const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2080, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const text = isoInZone(new Date(ms), zone)
          expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/)
          expect(new Date(text).getTime()).toBe(ms)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('zoneOffsetMs', () => {
  /** The offset as Intl tells it, without the remembered quarter hours. */
  function intlOffset(zone: string, ms: number): number {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(ms))
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
    const wall = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    )
    return wall - Math.floor(ms / 1000) * 1000
  }

  it('answers the offset in force at every second around a change, remembered or not', () => {
    // Australia/Lord_Howe moves by 30 minutes, at 15:00 UTC on 2026-04-04 (02:00 local, +11 to +10:30).
    const change = Date.UTC(2026, 3, 4, 15, 0, 0)
    for (let ms = change - 20 * 60_000; ms < change + 20 * 60_000; ms += 1000) {
      expect(zoneOffsetMs('Australia/Lord_Howe', ms)).toBe(intlOffset('Australia/Lord_Howe', ms))
    }
  })

  it('agrees with Intl at any instant in any zone (property)', () => {
    const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2080, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          expect(zoneOffsetMs(zone, ms)).toBe(intlOffset(zone, ms))
          // A second instant in the same quarter hour, answered from what the first remembered.
          const later = ms + 60_000
          expect(zoneOffsetMs(zone, later)).toBe(intlOffset(zone, later))
        },
      ),
      { numRuns: 2000 },
    )
  })
})
