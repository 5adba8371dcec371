import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  expandSchedule,
  isScheduledStart,
  localDay,
  localInstant,
  NEXT_SLOT_LOOKAHEAD_DAYS,
  nextScheduledStart,
  type Schedule,
  scheduleErrors,
  WEEKDAYS,
} from '../../../src/modules/catalog/schedule.js'
import { isoInZone } from '../../../src/platform/dates.js'

const every = (times: string[]): Schedule['weekly'] => WEEKDAYS.map((weekday) => ({ weekday, times }))
const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  weekly: every(['09:00']),
  starts_on: '2027-01-01',
  ends_on: null,
  exceptions: [],
  ...over,
})
const iso = (dates: Date[], zone: string) => dates.map((date) => isoInZone(date, zone))

describe('localInstant', () => {
  it('skips a wall-clock time that does not exist (spring forward)', () => {
    expect(localInstant('2027-03-28', '01:30', 'Europe/London')).toBeNull()
    expect(localInstant('2027-03-14', '02:30', 'America/New_York')).toBeNull()
  })

  it('takes the first occurrence of a repeated time (fall back)', () => {
    expect(localInstant('2027-10-31', '01:30', 'Europe/London')?.toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    )
    expect(localInstant('2027-11-07', '01:30', 'America/New_York')?.toISOString()).toBe(
      '2027-11-07T05:30:00.000Z',
    )
  })

  it('converts ordinary times with the offset of that day', () => {
    expect(localInstant('2027-07-01', '09:00', 'Europe/London')?.toISOString()).toBe(
      '2027-07-01T08:00:00.000Z',
    )
    expect(localInstant('2027-01-15', '09:00', 'America/New_York')?.toISOString()).toBe(
      '2027-01-15T14:00:00.000Z',
    )
  })
})

describe('expandSchedule', () => {
  it('lists each listed time of each matching weekday between the dates, minus exceptions', () => {
    const weekly: Schedule['weekly'] = [
      { weekday: 'mon', times: ['18:30', '09:00'] },
      { weekday: 'thu', times: ['07:15'] },
    ]
    const slots = expandSchedule(
      schedule({ weekly, starts_on: '2027-01-04', ends_on: '2027-01-14', exceptions: ['2027-01-07'] }),
      'Europe/London',
      '2027-01-01',
      '2027-01-31',
    )
    expect(iso(slots, 'Europe/London')).toEqual([
      '2027-01-04T09:00:00+00:00',
      '2027-01-04T18:30:00+00:00',
      '2027-01-11T09:00:00+00:00',
      '2027-01-11T18:30:00+00:00',
      '2027-01-14T07:15:00+00:00',
    ])
  })

  it('keeps local times across the DST changes of London and New York', () => {
    const daily = schedule({ weekly: every(['01:30', '09:00']) })
    expect(iso(expandSchedule(daily, 'Europe/London', '2027-03-27', '2027-03-29'), 'Europe/London')).toEqual([
      '2027-03-27T01:30:00+00:00',
      '2027-03-27T09:00:00+00:00',
      '2027-03-28T09:00:00+01:00',
      '2027-03-29T01:30:00+01:00',
      '2027-03-29T09:00:00+01:00',
    ])
    expect(
      iso(expandSchedule(daily, 'America/New_York', '2027-11-07', '2027-11-07'), 'America/New_York'),
    ).toEqual(['2027-11-07T01:30:00-04:00', '2027-11-07T09:00:00-05:00'])
  })

  it('answers whether an instant is a slot start, to the minute', () => {
    const daily = schedule({ weekly: every(['09:00']), exceptions: ['2027-02-02'] })
    expect(isScheduledStart(daily, 'America/New_York', new Date('2027-02-01T14:00:00Z'))).toBe(true)
    expect(isScheduledStart(daily, 'America/New_York', new Date('2027-02-01T14:01:00Z'))).toBe(false)
    expect(isScheduledStart(daily, 'America/New_York', new Date('2027-02-02T14:00:00Z'))).toBe(false)
    expect(isScheduledStart(daily, 'America/New_York', new Date('2026-12-31T14:00:00Z'))).toBe(false)
  })

  const zones = [
    'UTC',
    'Europe/London',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Pacific/Apia',
  ]
  const day = fc
    .integer({ min: Date.UTC(2026, 0, 1) / 86_400_000, max: Date.UTC(2029, 11, 31) / 86_400_000 })
    .map((number) => new Date(number * 86_400_000).toISOString().slice(0, 10))
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`)
  const schedules = fc
    .record({
      weekly: fc.uniqueArray(
        fc.record({
          weekday: fc.constantFrom(...WEEKDAYS),
          times: fc.uniqueArray(time, { minLength: 1, maxLength: 7 }),
        }),
        { minLength: 1, maxLength: 7, selector: (entry) => entry.weekday },
      ),
      starts_on: day,
      length: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
      exceptions: fc.array(day, { maxLength: 30 }),
    })
    .map(
      ({ length, ...rest }): Schedule => ({
        ...rest,
        ends_on:
          length === null
            ? null
            : new Date(Date.parse(rest.starts_on) + length * 86_400_000).toISOString().slice(0, 10),
      }),
    )

  it('gives sorted, distinct starts, each a listed local time of a scheduled day (property)', () => {
    fc.assert(
      fc.property(
        schedules,
        fc.constantFrom(...zones),
        day,
        fc.integer({ min: 0, max: 92 }),
        (plan, zone, from, span) => {
          const to = new Date(Date.parse(from) + span * 86_400_000).toISOString().slice(0, 10)
          const slots = expandSchedule(plan, zone, from, to)
          const times = slots.map((slot) => slot.getTime())
          expect(times).toEqual([...new Set(times)].sort((a, b) => a - b))
          for (const slot of slots) {
            const local = isoInZone(slot, zone)
            const [date, clock] = [local.slice(0, 10), local.slice(11, 16)]
            expect(localDay(slot, zone)).toBe(date)
            expect(date >= from && date <= to).toBe(true)
            expect(date >= plan.starts_on && (plan.ends_on === null || date <= plan.ends_on)).toBe(true)
            expect(plan.exceptions).not.toContain(date)
            const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]
            expect(plan.weekly.find((entry) => entry.weekday === weekday)?.times).toContain(clock)
            expect(isScheduledStart(plan, zone, slot)).toBe(true)
          }
        },
      ),
      { numRuns: 200, seed: 20261204 },
    )
  })

  it('finds the next start as the first future one the expansion lists in the look-ahead (property)', () => {
    fc.assert(
      fc.property(schedules, fc.constantFrom(...zones), day, time, (plan, zone, date, clock) => {
        const now = localInstant(date, clock, zone) ?? new Date(`${date}T${clock}:00Z`)
        const today = localDay(now, zone)
        const from = Math.max(Date.parse(today), Date.parse(plan.starts_on))
        const to = new Date(from + (NEXT_SLOT_LOOKAHEAD_DAYS - 1) * 86_400_000).toISOString().slice(0, 10)
        const expected = expandSchedule(plan, zone, today, to).find((start) => start > now) ?? null
        expect(nextScheduledStart(plan, zone, now)).toEqual(expected)
      }),
      { numRuns: 25, seed: 20261205 },
    )
  }, 60_000)
})

describe('scheduleErrors', () => {
  it('names repeated weekdays and times, too many times and an end before the start', () => {
    expect(scheduleErrors(schedule())).toBeNull()
    expect(
      scheduleErrors(
        schedule({
          weekly: [
            { weekday: 'mon', times: ['09:00', '09:00'] },
            { weekday: 'mon', times: ['10:00'] },
          ],
          starts_on: '2027-02-01',
          ends_on: '2027-01-31',
        }),
      ),
    ).toEqual({
      'schedule.weekly': ['List each weekday once.', 'List each time once a day.'],
      'schedule.ends_on': ['The end date cannot be before the start date.'],
    })
    const crowded = every(Array.from({ length: 8 }, (_, hour) => `${String(hour + 8).padStart(2, '0')}:00`))
    expect(scheduleErrors(schedule({ weekly: crowded }))).toEqual({
      'schedule.weekly': ['At most 50 times a week.'],
    })
  })
})
