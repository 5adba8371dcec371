// The waiting list's promises under interleavings (API.md, "Waiting list": a slot never holds more
// bookings plus offers than its capacity, under any concurrency): random batches of book, cancel,
// join, claim, leave and capacity raises run in parallel, with offers running out between batches;
// after each, the slot's counter equals its bookings and open offers, within the capacity, nobody
// waits next to a free seat, and offers went in the order people joined (checked by SQL). On
// PostgreSQL the app's pool gives a batch's requests real parallel connections; on PGlite they
// interleave on one. Passwords use a trivial hasher so that many users are cheap.
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PasswordHasher } from '../../../src/modules/accounts/hasher.js'
import { runSchedule } from '../../../src/modules/automation/schedule.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeSession, requestBooking } from '../../helpers/factories.js'
import {
  brokenPromises,
  cancelBooking,
  claimOffer,
  joinWaitlist,
  leaveWaitlist,
  slotSeats,
} from '../../helpers/waitlist.js'

const plainHasher: PasswordHasher = {
  hash: async (password) => `plain$${password}`,
  verify: async (encoded, password) => encoded === `plain$${password}`,
}
const clock = new ManualClock(new Date('2026-03-01T09:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock, passwordHasher: plainHasher } })
const HOUR = 3_600_000
/** Past the default hold of an offer (120 minutes). */
const PAST_HOLD = 121 * 60_000

const schedule = () =>
  runSchedule({
    db: ctx.app.deps.database.db,
    clock,
    settings: { get: async () => ({ pendingExpiryHours: 24, reminderHoursBefore: 24 }) },
  })

let creator: TestUser
const pool: TestUser[] = []

beforeAll(async () => {
  creator = await makeUser(ctx.app, { role: 'creator' })
  pool.push(...(await Promise.all(Array.from({ length: 40 }, () => makeUser(ctx.app)))))
})

type Kind = 'book' | 'cancel' | 'join' | 'claim' | 'leave' | 'grow'

/** The refusals each action may meet when it loses to another; anything else fails the test. */
const EXPECTED: Record<Kind, string[]> = {
  book: ['session_full', 'already_booked'],
  cancel: ['invalid_transition'],
  join: ['seats_available', 'already_waiting', 'already_booked'],
  claim: ['invalid_transition', 'offer_expired', 'already_booked'],
  leave: ['invalid_transition'],
  grow: [],
}

/** One slot under test: each user's latest booking and entry of it, and its capacity. */
class SlotUnderTest {
  readonly bookings = new Map<TestUser, string>()
  readonly entries = new Map<TestUser, string>()

  constructor(
    readonly session: string,
    readonly date: string,
    private capacity: number,
  ) {}

  static async open(capacity: number) {
    const session = (await makeSession(ctx.app, creator, { max_participants: capacity })).id
    return new SlotUnderTest(
      session,
      new Date(clock.now().getTime() + 30 * 24 * HOUR).toISOString(),
      capacity,
    )
  }

  /** Runs one action by `user`; checks the answer is a success or an expected refusal. */
  async act(kind: Kind, user: TestUser): Promise<void> {
    const response = await this.request(kind, user)
    if (!response) return
    if (response.statusCode >= 400) {
      expect(response.statusCode, `${kind}: ${response.body}`).toBe(409)
      expect(EXPECTED[kind], `${kind}: ${response.body}`).toContain(response.json().code)
      return
    }
    expect(response.statusCode, `${kind}: ${response.body}`).toBeLessThan(300)
    if (kind === 'book' || kind === 'claim') this.bookings.set(user, response.json().data.id)
    if (kind === 'join') this.entries.set(user, response.json().data.id)
  }

  private request(kind: Kind, user: TestUser) {
    const booking = this.bookings.get(user)
    const entry = this.entries.get(user)
    switch (kind) {
      case 'book':
        return requestBooking(ctx.app, user, this.session, this.date)
      case 'join':
        return joinWaitlist(ctx.app, user, this.session, this.date)
      case 'cancel':
        return booking && cancelBooking(ctx.app, user, booking)
      case 'claim':
        return entry && claimOffer(ctx.app, user, entry)
      case 'leave':
        return entry && leaveWaitlist(ctx.app, user, entry)
      case 'grow':
        this.capacity += 1
        return ctx.app.inject({
          method: 'PATCH',
          url: `/api/sessions/${this.session}/`,
          headers: creator.auth,
          payload: { max_participants: this.capacity },
        })
    }
  }

  async expectKept() {
    expect(brokenPromises(await slotSeats(ctx.app, this.session, this.date))).toEqual([])
  }
}

describe('random interleavings (property)', () => {
  const USERS = 6
  const action = fc.record({
    kind: fc.constantFrom<Kind>('book', 'book', 'cancel', 'join', 'join', 'claim', 'leave', 'grow'),
    user: fc.nat({ max: USERS - 1 }),
  })
  const step = fc.record({
    actions: fc.array(action, { minLength: 1, maxLength: 5 }),
    // Then the offers open now run out, and the schedule passes their seats on.
    expire: fc.boolean(),
  })

  it('keep every seat counted, within the capacity, handed on in the order of the line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        async (capacity, steps) => {
          const slot = await SlotUnderTest.open(capacity)
          const users = pool.slice(0, USERS)
          for (const { actions, expire } of steps) {
            await Promise.all(actions.map(({ kind, user }) => slot.act(kind, users[user] as TestUser)))
            await slot.expectKept()
            if (expire) {
              clock.advance(PAST_HOLD)
              await schedule()
              await slot.expectKept()
            }
          }
        },
      ),
      { numRuns: 30 },
    )
  })
})

describe('a crowd on one slot', () => {
  it('many parallel cancels, joins, claims, leaves and bookings keep the promises (SQL)', async () => {
    const slot = await SlotUnderTest.open(5)
    const holders = pool.slice(0, 5)
    for (const user of holders) await slot.act('book', user)
    for (const user of pool.slice(5, 15)) await slot.act('join', user)
    await slot.expectKept()
    for (let round = 0; round < 4; round++) {
      const joiners = pool.slice(15 + round * 5, 20 + round * 5)
      await Promise.all([
        ...[...slot.bookings.keys()].slice(round, round + 2).map((user) => slot.act('cancel', user)),
        ...[...slot.entries.keys()].map((user) => slot.act('claim', user)),
        ...[...slot.entries.keys()].slice(round * 2, round * 2 + 2).map((user) => slot.act('leave', user)),
        ...joiners.map((user) => slot.act('join', user)),
        ...joiners.slice(0, 2).map((user) => slot.act('book', user)),
      ])
      await slot.expectKept()
      if (round % 2 === 1) {
        clock.advance(PAST_HOLD)
        await Promise.all([schedule(), schedule()])
        await slot.expectKept()
      }
    }
  })
})
