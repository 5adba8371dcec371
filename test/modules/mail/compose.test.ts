// composeMail against a migrated database: whom each email goes to and what it says, read when it is
// sent. Fixtures are inserted directly, so the test depends on no endpoint's rules.
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { bookings } from '../../../src/modules/bookings/tables.js'
import { businesses, invitations, memberships } from '../../../src/modules/businesses/tables.js'
import { sessions } from '../../../src/modules/catalog/tables.js'
import { composeMail, type MailDeps } from '../../../src/modules/mail/compose.js'
import { sealMailToken } from '../../../src/modules/mail/messages.js'
import { reservations } from '../../../src/modules/reservations/tables.js'
import { createSettingsService } from '../../../src/modules/settings/service.js'
import { platformSettings } from '../../../src/modules/settings/tables.js'
import { systemClock } from '../../../src/platform/clock.js'
import type { Config } from '../../../src/platform/config.js'
import type { DatabaseHandle } from '../../../src/platform/db/index.js'
import { uniqueName } from '../../helpers/accounts.js'
import { openTestDatabase, testConfig } from '../../helpers/app.js'

const SITE_NAME = 'Harbour & Co Bookings'

let database: DatabaseHandle
const db = () => database.db

beforeAll(async () => {
  database = await openTestDatabase()
  await db().update(platformSettings).set({ siteName: SITE_NAME }).where(eq(platformSettings.id, 1))
})
afterAll(async () => {
  await database?.close()
})

function depsWith(overrides: Record<string, string> = {}): MailDeps & { config: Config } {
  return {
    db: db(),
    config: testConfig({ FRONTEND_URL: 'https://app.example.com/', ADMIN_EMAIL: '', ...overrides }),
    settings: createSettingsService(db(), systemClock, null),
  }
}

type UserFields = { firstName?: string; lastName?: string; email?: string; isActive?: boolean }

async function makeUser(fields: UserFields = {}) {
  const username = uniqueName('mail')
  const [user] = await db()
    .insert(users)
    .values({ username, email: `${username}@example.com`, password: 'not-a-hash', ...fields })
    .returning()
  if (!user) throw new Error('no user')
  return user
}

type Role = 'owner' | 'admin' | 'manager' | 'agent'

async function makeBusiness(name: string, timezone: string, members: [Role, UserFields?][]) {
  const [business] = await db()
    .insert(businesses)
    .values({ name, slug: uniqueName('biz'), timezone, currency: 'GBP' })
    .returning({ id: businesses.id })
  if (!business) throw new Error('no business')
  const people: Awaited<ReturnType<typeof makeUser>>[] = []
  for (const [role, fields] of members) {
    const user = await makeUser(fields)
    await db().insert(memberships).values({ businessId: business.id, userId: user.id, role })
    people.push(user)
  }
  return { id: business.id, people }
}

async function makeBooking(businessId: string, customerId: string, start: string) {
  const creator = await makeUser()
  const [session] = await db()
    .insert(sessions)
    .values({
      businessId,
      creatorId: creator.id,
      title: 'Flow <b>deep</b>',
      duration: 75,
      price: '18.50',
      maxParticipants: 10,
    })
    .returning({ id: sessions.id })
  if (!session) throw new Error('no session')
  const [booking] = await db()
    .insert(bookings)
    .values({
      businessId,
      sessionId: session.id,
      userId: customerId,
      bookingDate: new Date(start),
      amount: '18.50',
    })
    .returning({ id: bookings.id })
  if (!booking) throw new Error('no booking')
  return booking.id
}

async function makeReservation(
  businessId: string,
  customerId: string,
  staffId: string | null,
  start: string,
  end: string,
  createdBy: string | null = null,
) {
  const [reservation] = await db()
    .insert(reservations)
    .values({
      businessId,
      customerId,
      staffId,
      createdBy,
      startTime: new Date(start),
      endTime: new Date(end),
      notes: 'Knee <injury> & "care"',
    })
    .returning({ id: reservations.id })
  if (!reservation) throw new Error('no reservation')
  return reservation.id
}

describe('booking_created and reservation_created', () => {
  it('go to the active owners and admins and ADMIN_EMAIL, each address once, not to managers or agents', async () => {
    const business = await makeBusiness('<script>x</script> Yoga', 'Europe/London', [
      ['owner', { email: `${uniqueName('Owner')}@Example.com` }],
      ['owner', { isActive: false }],
      ['admin'],
      ['manager'],
      ['agent'],
    ])
    const [owner, , admin, manager] = business.people
    if (!owner || !admin || !manager) throw new Error('unreachable')
    // A removed admin hears nothing any more.
    const removed = await makeUser()
    await db()
      .insert(memberships)
      .values({ businessId: business.id, userId: removed.id, role: 'admin', isDeleted: true })
    const customer = await makeUser({ firstName: 'Ana', lastName: '<Souza>' })
    const bookingId = await makeBooking(business.id, customer.id, '2026-07-01T16:00:00Z')

    // ADMIN_EMAIL is the owner's address in other letters: still one email to it.
    const deps = depsWith({ ADMIN_EMAIL: owner.email.toUpperCase() })
    const mail = await composeMail(deps, 'booking_created', { bookingId })
    expect(mail?.to.toSorted()).toEqual([owner.email, admin.email].toSorted())
    expect(mail?.subject).toBe('New booking: Flow <b>deep</b>, Wednesday 1 July 2026, 17:00 (Europe/London)')
    expect(mail?.html).toContain('&lt;script&gt;x&lt;/script&gt; Yoga')
    expect(mail?.html).toContain('Ana &lt;Souza&gt;')
    expect(mail?.html).not.toContain('<script>')
    expect(mail?.html).toContain(SITE_NAME.replace('&', '&amp;'))
    expect(mail?.text).toContain(`Ana <Souza> (${customer.email})`)
    expect(mail?.text).toContain('£18.50')

    const withAdmin = await composeMail(depsWith({ ADMIN_EMAIL: 'ops@tessera.test' }), 'booking_created', {
      bookingId,
    })
    expect(withAdmin?.to.toSorted()).toEqual([owner.email, admin.email, 'ops@tessera.test'].toSorted())

    const staff = await makeUser({ firstName: 'Sam', lastName: 'Okafor' })
    const reservationId = await makeReservation(
      business.id,
      customer.id,
      staff.id,
      '2026-01-14T17:00:00Z',
      '2026-01-14T18:30:00Z',
    )
    const reserved = await composeMail(depsWith(), 'reservation_created', { reservationId })
    expect(reserved?.to.toSorted()).toEqual([owner.email, admin.email].toSorted())
    expect(reserved?.text).toContain('With: Sam Okafor')
    expect(reserved?.text).toContain('Wednesday 14 January 2026, 17:00–18:30 (Europe/London)')
    expect(reserved?.html).toContain('Knee &lt;injury&gt; &amp; &quot;care&quot;')
    expect(reserved?.to).not.toContain(manager.email)
  })

  it('answer null when nobody is left to tell, or the row is gone', async () => {
    const business = await makeBusiness('Quiet Studio', 'UTC', [['manager'], ['agent']])
    const customer = await makeUser()
    const bookingId = await makeBooking(business.id, customer.id, '2026-07-01T16:00:00Z')
    expect(await composeMail(depsWith(), 'booking_created', { bookingId })).toBeNull()
    expect(
      await composeMail(depsWith({ ADMIN_EMAIL: 'ops@tessera.test' }), 'booking_created', { bookingId }),
    ).toMatchObject({ to: ['ops@tessera.test'] })

    expect(await composeMail(depsWith(), 'booking_created', { bookingId: randomUUID() })).toBeNull()
    expect(await composeMail(depsWith(), 'reservation_created', { reservationId: randomUUID() })).toBeNull()
  })
})

describe('the customer’s address in reservation_created', () => {
  it('shows only once the customer reserved or booked with the business themselves', async () => {
    const business = await makeBusiness('Harbour Studio', 'UTC', [['owner']])
    const [owner] = business.people
    if (!owner) throw new Error('unreachable')
    const customer = await makeUser({ firstName: 'Ana', lastName: 'Souza' })
    // Staff reserved for a stranger: the business learns nothing it did not know.
    const forThem = await makeReservation(
      business.id,
      customer.id,
      null,
      '2026-07-01T09:00:00Z',
      '2026-07-01T10:00:00Z',
      owner.id,
    )
    const before = await composeMail(depsWith(), 'reservation_created', { reservationId: forThem })
    expect(before?.text).toContain('Customer: Ana Souza\n')
    expect(before?.text).not.toContain(customer.email)
    expect(before?.html).not.toContain(customer.email)
    // Their own reservation makes them a customer of the business: both emails name the address.
    const own = await makeReservation(
      business.id,
      customer.id,
      null,
      '2026-07-02T09:00:00Z',
      '2026-07-02T10:00:00Z',
      customer.id,
    )
    for (const reservationId of [forThem, own]) {
      const mail = await composeMail(depsWith(), 'reservation_created', { reservationId })
      expect(mail?.text).toContain(`Customer: Ana Souza (${customer.email})`)
    }
  })
})

describe('invitation', () => {
  async function invitation(businessId: string, invitedBy: string | null, fields = {}) {
    const [row] = await db()
      .insert(invitations)
      .values({
        businessId,
        email: 'New.Colleague@Example.com',
        role: 'admin',
        tokenHash: randomUUID(),
        invitedBy,
        createdAt: new Date('2026-07-01T09:00:00Z'),
        expiresAt: new Date('2026-07-08T09:00:00Z'),
        ...fields,
      })
      .returning({ id: invitations.id })
    if (!row) throw new Error('no invitation')
    return row.id
  }

  it('goes to the invited address as typed, with the opened token in the accept link', async () => {
    const business = await makeBusiness('<b>Harbour</b> & Co', 'UTC', [
      ['owner', { firstName: 'Sam', lastName: 'Okafor' }],
    ])
    const deps = depsWith()
    const token = 'tok/en+with=chars'
    const sealed = sealMailToken(deps.config.secretKey, token)
    const invitationId = await invitation(business.id, business.people[0]?.id ?? null)
    const mail = await composeMail(deps, 'invitation', { invitationId, token: sealed })
    const link = `https://app.example.com/invitations/accept?token=${encodeURIComponent(token)}`
    expect(mail?.to).toEqual(['New.Colleague@Example.com'])
    expect(mail?.subject).toBe(`You are invited to join <b>Harbour</b> & Co on ${SITE_NAME}`)
    expect(mail?.text).toContain(
      `Sam Okafor invited you to join <b>Harbour</b> & Co on ${SITE_NAME} as an admin.`,
    )
    expect(mail?.text).toContain(link)
    expect(mail?.text).toContain('valid for 7 days')
    expect(mail?.html).toContain(`href="${link}"`)
    expect(mail?.html).toContain('&lt;b&gt;Harbour&lt;/b&gt; &amp; Co')
    expect(mail?.html).not.toContain('<b>Harbour')
    expect(mail?.text).not.toContain(sealed)

    // An inviter whose account is gone: the invitation still reads well.
    const orphan = await invitation(business.id, null, { email: 'other@example.com', role: 'agent' })
    const anonymous = await composeMail(deps, 'invitation', { invitationId: orphan, token: sealed })
    expect(anonymous?.text).toContain(
      `You are invited to join <b>Harbour</b> & Co on ${SITE_NAME} as an agent.`,
    )
  })

  it('answers null once accepted, revoked (gone) or the business deleted', async () => {
    const deps = depsWith()
    const sealed = sealMailToken(deps.config.secretKey, 'token')
    const business = await makeBusiness('Closing Soon', 'UTC', [['owner']])
    const accepted = await invitation(business.id, null, { acceptedAt: new Date() })
    expect(await composeMail(deps, 'invitation', { invitationId: accepted, token: sealed })).toBeNull()
    expect(await composeMail(deps, 'invitation', { invitationId: randomUUID(), token: sealed })).toBeNull()
    const open = await invitation(business.id, null, { email: 'late@example.com' })
    await db().update(businesses).set({ isDeleted: true }).where(eq(businesses.id, business.id))
    expect(await composeMail(deps, 'invitation', { invitationId: open, token: sealed })).toBeNull()
  })
})

describe('status_changed and reminder', () => {
  it('go to the customer, on the business clock', async () => {
    const business = await makeBusiness('Harbour Yoga', 'America/New_York', [['owner']])
    const customer = await makeUser({ firstName: 'Ana' })
    const bookingId = await makeBooking(business.id, customer.id, '2026-03-09T21:00:00Z')
    const reservationId = await makeReservation(
      business.id,
      customer.id,
      null,
      '2026-03-07T22:00:00Z',
      '2026-03-07T23:00:00Z',
    )

    const changed = await composeMail(depsWith(), 'status_changed', {
      entity: 'booking',
      id: bookingId,
      from: 'pending',
      to: 'confirmed',
    })
    expect(changed?.to).toEqual([customer.email])
    expect(changed?.subject).toBe('Your booking is confirmed: Flow <b>deep</b>')
    expect(changed?.text).toContain('Status: pending -> confirmed')
    expect(changed?.text).toContain('Monday 9 March 2026, 17:00–18:15 (America/New_York)')
    expect(changed?.html).toContain('Flow &lt;b&gt;deep&lt;/b&gt;')

    const cancelled = await composeMail(depsWith(), 'status_changed', {
      entity: 'reservation',
      id: reservationId,
      from: 'confirmed',
      to: 'cancelled',
    })
    expect(cancelled?.to).toEqual([customer.email])
    expect(cancelled?.text).toContain('Appointment at Harbour Yoga')
    expect(cancelled?.text).toContain('Saturday 7 March 2026, 17:00–18:00 (America/New_York)')

    for (const [entity, id] of [
      ['booking', bookingId],
      ['reservation', reservationId],
    ] as const) {
      const reminded = await composeMail(depsWith(), 'reminder', { entity, id })
      expect(reminded?.to).toEqual([customer.email])
      expect(reminded?.subject).toMatch(/^Reminder: /)
      expect(reminded?.text).toContain('Where: Harbour Yoga')
    }
  })

  it('answer null for a missing or deleted row, or a deactivated customer', async () => {
    const business = await makeBusiness('Harbour Yoga', 'UTC', [['owner']])
    const customer = await makeUser()
    const bookingId = await makeBooking(business.id, customer.id, '2026-07-01T16:00:00Z')
    await db().update(bookings).set({ isDeleted: true }).where(eq(bookings.id, bookingId))

    const deactivated = await makeUser({ isActive: false })
    const theirs = await makeBooking(business.id, deactivated.id, '2026-07-01T16:00:00Z')
    expect(await composeMail(depsWith(), 'reminder', { entity: 'booking', id: theirs })).toBeNull()

    for (const id of [bookingId, randomUUID()]) {
      expect(await composeMail(depsWith(), 'reminder', { entity: 'booking', id })).toBeNull()
    }
    expect(
      await composeMail(depsWith(), 'status_changed', {
        entity: 'reservation',
        id: randomUUID(),
        from: 'pending',
        to: 'cancelled',
      }),
    ).toBeNull()
  })
})

/** The one event of a composed email's .ics attachment, read back with ical.js. */
function attachedEvent(mail: Awaited<ReturnType<typeof composeMail>>) {
  const [attachment, ...more] = mail?.attachments ?? []
  expect(more).toEqual([])
  expect(attachment?.contentType).toBe('text/calendar; charset=utf-8; method=PUBLISH')
  const calendar = new ICAL.Component(ICAL.parse(attachment?.content ?? ''))
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH')
  const events = calendar.getAllSubcomponents('vevent')
  expect(events).toHaveLength(1)
  const event = new ICAL.Event(events[0])
  return {
    filename: attachment?.filename,
    uid: event.uid,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    status: String(events[0]?.getFirstPropertyValue('status')),
  }
}

describe('the .ics attachment', () => {
  it('carries the one booking or reservation, with the UID of the calendar feeds', async () => {
    const business = await makeBusiness('Harbour Pilates', 'Europe/London', [['owner']])
    const customer = await makeUser({ firstName: 'Ana' })
    const bookingId = await makeBooking(business.id, customer.id, '2026-07-01T16:00:00Z')
    const reservationId = await makeReservation(
      business.id,
      customer.id,
      null,
      '2026-07-02T09:00:00Z',
      '2026-07-02T09:45:00Z',
    )
    const booking = {
      filename: `booking-${bookingId}.ics`,
      uid: `booking-${bookingId}@tessera`,
      start: '2026-07-01T16:00:00.000Z',
      end: '2026-07-01T17:15:00.000Z',
      status: 'TENTATIVE',
    }
    const reservation = {
      filename: `reservation-${reservationId}.ics`,
      uid: `reservation-${reservationId}@tessera`,
      start: '2026-07-02T09:00:00.000Z',
      end: '2026-07-02T09:45:00.000Z',
      status: 'TENTATIVE',
    }
    expect(attachedEvent(await composeMail(depsWith(), 'booking_created', { bookingId }))).toEqual(booking)
    expect(attachedEvent(await composeMail(depsWith(), 'reservation_created', { reservationId }))).toEqual(
      reservation,
    )
    expect(
      attachedEvent(await composeMail(depsWith(), 'reminder', { entity: 'booking', id: bookingId })),
    ).toEqual(booking)
    await db().update(bookings).set({ status: 'cancelled' }).where(eq(bookings.id, bookingId))
    const cancelled = await composeMail(depsWith(), 'status_changed', {
      entity: 'booking',
      id: bookingId,
      from: 'pending',
      to: 'cancelled',
    })
    expect(attachedEvent(cancelled)).toEqual({ ...booking, status: 'CANCELLED' })
  })

  it('leaves account emails without one', async () => {
    const user = await makeUser()
    const token = sealMailToken(depsWith().config.secretKey, 'opened-token')
    const mail = await composeMail(depsWith(), 'password_reset', { userId: user.id, token })
    expect(mail?.attachments).toBeUndefined()
  })
})

describe('account emails', () => {
  it('go to the current address with the opened token in the link', async () => {
    const deps = depsWith()
    const user = await makeUser({ firstName: 'Ana' })
    const token = 'tok/en+with=chars'
    const sealed = sealMailToken(deps.config.secretKey, token)
    await db().update(users).set({ email: 'ana.new@example.com' }).where(eq(users.id, user.id))

    const welcome = await composeMail(deps, 'welcome', { userId: user.id, token: sealed })
    const link = `https://app.example.com/verify-email?token=${encodeURIComponent(token)}`
    expect(welcome?.to).toEqual(['ana.new@example.com'])
    expect(welcome?.subject).toBe(`Welcome to ${SITE_NAME}`)
    expect(welcome?.text).toContain(link)
    expect(welcome?.html).toContain(`href="${link}"`)
    expect(welcome?.text).not.toContain(sealed)

    const verify = await composeMail(deps, 'verify_email', { userId: user.id, token: sealed })
    expect(verify?.text).toContain(link)

    const reset = await composeMail(deps, 'password_reset', { userId: user.id, token: sealed })
    expect(reset?.text).toContain(`https://app.example.com/reset-password?token=${encodeURIComponent(token)}`)
    expect(reset?.text).toContain('valid for 1 hour')
  })

  it('answer null for an inactive, missing or no user', async () => {
    const deps = depsWith()
    const sealed = sealMailToken(deps.config.secretKey, 'token')
    const inactive = await makeUser({ isActive: false })
    expect(await composeMail(deps, 'password_reset', { userId: inactive.id, token: sealed })).toBeNull()
    // A reset asked for an address no active account used.
    expect(await composeMail(deps, 'password_reset', { userId: null, token: sealed })).toBeNull()
    expect(await composeMail(deps, 'welcome', { userId: randomUUID(), token: sealed })).toBeNull()
  })
})

describe('refusals', () => {
  it('throws on an unknown template and on params of the wrong shape', async () => {
    await expect(composeMail(depsWith(), 'newsletter', {})).rejects.toThrow(
      /unknown mail template "newsletter"/,
    )
    await expect(composeMail(depsWith(), 'booking_created', { id: randomUUID() })).rejects.toThrow(
      /invalid params for mail template "booking_created"/,
    )
    await expect(
      composeMail(depsWith(), 'status_changed', { entity: 'booking', id: randomUUID(), from: 'x', to: 'y' }),
    ).rejects.toThrow(/invalid params/)
  })
})
