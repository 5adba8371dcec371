// A session's `next_slot`: the start of its next future scheduled slot, from the schedule in the
// business's time zone, on the list, the detail and write answers; null without a schedule or a
// future slot within the look-ahead.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Schedule } from '../../../src/modules/catalog/schedule.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeSession, type SessionOut } from '../../helpers/factories.js'

// Saturday, 12:00 in London (GMT until 2027-03-28).
const clock = new ManualClock(new Date('2027-03-20T12:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const call = (options: InjectOptions) => ctx.app.inject(options)

let owner: TestUser
let business: string
const title = uniqueName('Nextslot')

beforeAll(async () => {
  owner = await makeUser(ctx.app)
  const response = await call({
    method: 'POST',
    url: '/api/businesses/',
    headers: owner.auth,
    payload: { name: uniqueName('Studio '), timezone: 'Europe/London' },
  })
  expect(response.statusCode, response.body).toBe(201)
  business = response.json().data.id
})

const weekly = (fields: Partial<Schedule> & Pick<Schedule, 'weekly'>): Schedule => ({
  starts_on: '2027-03-01',
  ends_on: null,
  exceptions: [],
  ...fields,
})

const sessionWith = (schedule: Schedule | null) =>
  makeSession(ctx.app, owner, { title, schedule }, { business })

async function detail(id: string, headers: Record<string, string> = {}): Promise<SessionOut> {
  const response = await call({ url: `/api/sessions/${id}/`, headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

async function listed(id: string, headers: Record<string, string> = {}) {
  const response = await call({ url: `/api/sessions/?search=${title}&page_size=100`, headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.find((item: { id: string }) => item.id === id)?.next_slot
}

describe('next_slot', () => {
  it('is null for an unscheduled session', async () => {
    const session = await sessionWith(null)
    expect(session.next_slot).toBeNull()
    expect((await detail(session.id)).next_slot).toBeNull()
    expect(await listed(session.id)).toBeNull()
  })

  it('is the first future start, later the same day when one is left, on every answer', async () => {
    const session = await sessionWith(weekly({ weekly: [{ weekday: 'sat', times: ['13:00', '11:00'] }] }))
    expect(session.next_slot).toBe('2027-03-20T13:00:00.000Z')
    expect((await detail(session.id)).next_slot).toBe('2027-03-20T13:00:00.000Z')
    expect(await listed(session.id)).toBe('2027-03-20T13:00:00.000Z')
  })

  it('skips exceptions and reads local times in the time zone (summer time, a missing hour)', async () => {
    const mondays = await sessionWith(
      weekly({
        weekly: [
          { weekday: 'mon', times: ['09:00'] },
          { weekday: 'thu', times: ['07:15'] },
        ],
        exceptions: ['2027-03-22'],
      }),
    )
    expect((await detail(mondays.id)).next_slot).toBe('2027-03-25T07:15:00.000Z')
    // 01:30 does not exist in London on 2027-03-28 (spring forward); a week later it is 00:30 UTC.
    const night = await sessionWith(
      weekly({ weekly: [{ weekday: 'sun', times: ['01:30'] }], starts_on: '2027-03-28' }),
    )
    expect((await detail(night.id)).next_slot).toBe('2027-04-04T00:30:00.000Z')
  })

  it('starts at a later starts_on, and is null after ends_on or past the look-ahead', async () => {
    const later = await sessionWith(
      weekly({ weekly: [{ weekday: 'mon', times: ['09:00'] }], starts_on: '2029-01-01' }),
    )
    expect((await detail(later.id)).next_slot).toBe('2029-01-01T09:00:00.000Z')
    const ended = await sessionWith(
      weekly({ weekly: [{ weekday: 'mon', times: ['09:00'] }], ends_on: '2027-03-19' }),
    )
    expect((await detail(ended.id)).next_slot).toBeNull()
    // Every Monday of the next 60 weeks is an exception: the first slot is beyond the 400 days looked at.
    const exceptions = Array.from({ length: 60 }, (_, week) =>
      new Date(Date.UTC(2027, 2, 22 + 7 * week)).toISOString().slice(0, 10),
    )
    const far = await sessionWith(weekly({ weekly: [{ weekday: 'mon', times: ['09:00'] }], exceptions }))
    expect((await detail(far.id)).next_slot).toBeNull()
  })

  it('moves on as time passes (an answer not from the public cache)', async () => {
    const session = await sessionWith(weekly({ weekly: [{ weekday: 'sat', times: ['18:00'] }] }))
    const staff = { ...owner.auth, 'x-business-id': business }
    expect(await listed(session.id, staff)).toBe('2027-03-20T18:00:00.000Z')
    clock.advance(7 * 3_600_000)
    try {
      expect(await listed(session.id, staff)).toBe('2027-03-27T18:00:00.000Z')
    } finally {
      clock.advance(-7 * 3_600_000)
    }
  })

  it('is documented in the one Session schema', async () => {
    const document = (await call({ url: '/api/schema/' })).json()
    expect(document.components.schemas.Session.required).toContain('next_slot')
  })
})
