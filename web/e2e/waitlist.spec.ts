// The waiting list of a full slot: a creator's one-seat class and its first booking made through the
// API, then a second customer who signs in from the class page to join the line, gets the freed seat
// by email, claims it on /waitlist (axe, desktop and phone width) and finds it under My bookings.
// A second test: leaving the line from the class page, and a seat that frees while the page still
// shows the slot full, refused in clear words.
import { type APIRequestContext, expect, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { linkInMail } from './mail'
import { fillSignIn, newPerson, type Person, signIn } from './people'
import { expectNoSidewaysScroll, settled } from './ready'

type Slot = { start: string; seats_left: number; waiting: number }

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** Registers through the API and answers the bearer headers of the new account. */
async function apiAccount(request: APIRequestContext, person: Person, role: 'user' | 'creator') {
  const response = await request.post('/api/auth/register/', { data: { ...person, role } })
  expect(response.status(), await response.text()).toBe(201)
  const body = (await response.json()) as { data: { tokens: { access: string } } }
  return { Authorization: `Bearer ${body.data.tokens.access}` }
}

/** A creator's one-seat class at 11:00 every day, and its second slot (never one starting today). */
async function oneSeatClass(request: APIRequestContext) {
  const creator = newPerson('c')
  const headers = await apiAccount(request, creator, 'creator')
  const title = `Solo Rowing ${creator.username}`
  const today = new Date().toISOString().slice(0, 10)
  const created = await request.post('/api/sessions/', {
    headers,
    data: {
      title,
      description: 'One rower, one coach.',
      duration: 60,
      price: '20.00',
      max_participants: 1,
      schedule: {
        weekly: EVERY_DAY.map((weekday) => ({ weekday, times: ['11:00'] })),
        starts_on: today,
      },
    },
  })
  expect(created.status(), await created.text()).toBe(201)
  const session = ((await created.json()) as { data: { id: string } }).data
  const slots = await request.get(`/api/sessions/${session.id}/slots/`)
  const slot = ((await slots.json()) as { data: Slot[] }).data[1]
  if (!slot) throw new Error('the class has no second slot')
  return { id: session.id, title, start: slot.start }
}

/** A customer made through the API who books the slot: its one seat. */
async function bookSeat(request: APIRequestContext, session: string, start: string) {
  const headers = await apiAccount(request, newPerson('a'), 'user')
  const booked = await request.post('/api/bookings/', {
    headers,
    data: { session, booking_date: start },
  })
  expect(booked.status(), await booked.text()).toBe(201)
  const booking = ((await booked.json()) as { data: { id: string } }).data
  return {
    cancel: async () => {
      const cancelled = await request.post(`/api/bookings/${booking.id}/cancel/`, { headers })
      expect(cancelled.status(), await cancelled.text()).toBe(200)
    },
  }
}

/** No part of the page reaches past the viewport's width. */
test('join the waiting list of a full slot, get the freed seat by email and claim it', async ({
  page,
  request,
}, testInfo) => {
  const session = await oneSeatClass(request)
  const first = await bookSeat(request, session.id, session.start)
  const person = newPerson('w')
  await apiAccount(request, person, 'user')

  // Signed out, the full slot leads to signing in, and back to the class.
  await page.goto(`/sessions/${session.id}`)
  await expect(page.getByRole('heading', { level: 1, name: session.title })).toBeVisible()
  await page.getByRole('link', { name: 'Sign in to join the waiting list' }).click()
  await fillSignIn(page, person)
  await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}$`))

  const join = page.getByRole('button', { name: 'Join the waiting list' })
  await expect(join).toHaveCount(1)
  await expect(join).toHaveAccessibleDescription(/^\d\d:\d\d · Full$/)
  await join.scrollIntoViewIfNeeded()
  await settled(page)
  await page.screenshot({ path: testInfo.outputPath('session-full.png') })
  await join.click()
  await expect(page.getByRole('status').filter({ hasText: 'waiting list' })).toContainText(
    "You're on the waiting list — position 1.",
  )
  // The slot itself now says so, next to the way out.
  await expect(join).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Leave the waiting list' })).toHaveAccessibleDescription(
    /^\d\d:\d\d · You're on the waiting list — position 1$/,
  )
  await settled(page)
  await page.screenshot({ path: testInfo.outputPath('session-joined.png') })
  await expectAccessible(page, 'session page, on the waiting list')

  // The seat frees: it is offered to the first in line, who gets an email with a link.
  await first.cancel()
  const link = await linkInMail(person.email, '/waitlist', 'entry')
  await page.goto(link)
  await expect(page.getByRole('heading', { level: 1, name: 'Waiting list' })).toBeVisible()
  const entry = page.locator('li[aria-current="true"]')
  await expect(entry).toBeFocused()
  await expect(entry.getByRole('link', { name: session.title })).toBeVisible()
  await expect(entry.getByText('Seat offered', { exact: true })).toBeVisible()
  await expect(entry).toContainText(
    /A seat is held for you until .* \(expires in (\d+ h( \d\d min)?|\d+ min)\)/,
  )
  await settled(page)
  await page.screenshot({ path: testInfo.outputPath('waitlist-offered.png') })
  await expectAccessible(page, 'waiting list with an offer')

  // At phone width: nothing reaches sideways, and the page passes axe.
  await page.setViewportSize({ width: 390, height: 844 })
  await expectNoSidewaysScroll(page)
  await page.screenshot({ path: testInfo.outputPath('waitlist-phone.png') })
  await expectAccessible(page, 'waiting list on a phone')

  await entry.getByRole('button', { name: 'Claim your seat' }).click()
  await expect(page).toHaveURL(/\/bookings$/)
  await expect(page.getByRole('status').filter({ hasText: 'Seat claimed!' })).toContainText(session.title)
  const row = page
    .getByRole('region', { name: 'Upcoming', exact: true })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: session.title }) })
  await expect(row.getByText('pending', { exact: true })).toBeVisible()
  await settled(page)
  await page.screenshot({ path: testInfo.outputPath('bookings-claimed.png') })

  // The entry is over: claimed, with nothing left to do.
  await page.getByRole('link', { name: 'Waiting list' }).click()
  const claimed = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: session.title }) })
  await expect(claimed.getByText('Claimed', { exact: true })).toBeVisible()
  await expect(claimed.getByRole('button')).toHaveCount(0)
})

test('leave the line from the class page; a seat that frees meanwhile is for booking', async ({
  page,
  request,
}) => {
  const session = await oneSeatClass(request)
  const first = await bookSeat(request, session.id, session.start)
  const person = newPerson('w')
  await apiAccount(request, person, 'user')
  await signIn(page, person, `/sessions/${session.id}`)
  const join = page.getByRole('button', { name: 'Join the waiting list' })
  await expect(join).toHaveAccessibleDescription(/^\d\d:\d\d · Full$/)

  // The focus follows the slot's action from joining to leaving and back.
  await join.click()
  const leave = page.getByRole('button', { name: 'Leave the waiting list' })
  await expect(leave).toBeFocused()
  await leave.click()
  await expect(page.getByRole('status').filter({ hasText: 'You left the waiting list for' })).toBeVisible()
  await expect(join).toBeFocused()
  await expect(join).toHaveAccessibleDescription(/^\d\d:\d\d · Full$/)

  // The only seat frees while the page still shows the slot full: joining is refused in words.
  await first.cancel()
  await join.click()
  await expect(page.getByRole('alert')).toHaveText(
    'Seats are available again for this time: book one now instead of waiting.',
  )
  await expect(join).toHaveCount(0)

  // The entry left is listed as such, with nothing left to do.
  await page.goto('/waitlist')
  const left = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: session.title }) })
  await expect(left.getByText('Left', { exact: true })).toBeVisible()
  await expect(left.getByRole('button')).toHaveCount(0)
})
