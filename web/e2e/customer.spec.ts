// A customer's journeys: sign up and book a class then cancel it, request an appointment, and a deep
// link that needs signing in first.
import { expect, test } from '@playwright/test'
import { demo, fillSignIn, newPerson, nextWeekday, register, verifyEmail } from './people'

test('register, verify the email, find a class, book it and cancel it', async ({ page }) => {
  const person = newPerson()
  await register(page, person)
  await verifyEmail(page, person)

  // Browse: the verified page leads to the catalog.
  await page.getByRole('link', { name: 'Browse classes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText(/^\d+ classes shown$/)

  // Search narrows the list to the one class.
  await page.getByLabel('Search classes').fill('hatha')
  await expect(page).toHaveURL(/[?&]search=hatha/)
  await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText('1 class shown')
  await expect(page.getByRole('link', { name: 'Sunrise Vinyasa Flow' })).toBeHidden()
  await page.getByRole('link', { name: "Beginners' Hatha" }).click()

  // The class page: a scheduled class lists its upcoming dates as "Book 18:00" buttons.
  await expect(page.getByRole('heading', { level: 1, name: "Beginners' Hatha" })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'About this class' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Upcoming dates' })).toBeVisible()
  // Its second date (one a day): never one that starts while the test runs.
  const slot = page.getByRole('button', { name: /^Book \d\d:\d\d$/ }).nth(1)
  await expect(slot).toBeVisible()
  await slot.click()
  await expect(page.getByText(/Booked!.*pending confirmation/)).toBeVisible()

  await page.getByRole('link', { name: 'See my bookings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible()
  const upcoming = page.getByRole('region', { name: 'Upcoming', exact: true })
  const row = upcoming
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: "Beginners' Hatha" }) })
  await expect(row).toHaveCount(1)
  await expect(row.getByText('pending', { exact: true })).toBeVisible()

  await row.getByRole('button', { name: 'Cancel' }).click()
  await row.getByRole('button', { name: 'Yes, cancel booking' }).click()
  await expect(row.getByText('cancelled', { exact: true })).toBeVisible()
  await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0)
  // Still cancelled after a reload: the server has it so.
  await page.reload()
  await expect(
    upcoming
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: "Beginners' Hatha" }) })
      .getByText('cancelled', { exact: true }),
  ).toBeVisible()
})

test('request an appointment at the barber and see it under My bookings', async ({ page }) => {
  const person = newPerson()
  await register(page, person)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appointments' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Book an appointment' })).toBeVisible()
  await page.getByLabel('Business').selectOption({ label: 'Brooklyn Fade Barbershop' })
  // A weekday: the shop is open Monday to Friday (the demo's default hours), in New York time.
  const day = nextWeekday('America/New_York')
  await page.getByLabel('Date').fill(day)
  await expect(page).toHaveURL(new RegExp(`date=${day}`))
  await page.getByLabel('With').selectOption({ label: 'Marcus Reed' })
  await page.getByLabel('Length').selectOption({ label: '45 minutes' })
  await expect(page.getByRole('paragraph').filter({ hasText: '45 minutes with Marcus Reed' })).toBeVisible()

  const times = page.getByRole('region', { name: /^Free times on / })
  const first = times.getByRole('button', { name: /^\d\d:\d\d$/ }).first()
  await expect(first).toBeVisible()
  const time = (await first.textContent())?.trim() ?? ''
  await first.click()
  await expect(first).toHaveAttribute('aria-pressed', 'true')
  const confirm = page.getByRole('region', { name: 'Confirm your appointment' })
  await expect(confirm.getByText('Marcus Reed')).toBeVisible()
  await confirm.getByLabel('Notes (optional)').fill('Short on the sides, please.')
  await confirm.getByRole('button', { name: 'Request appointment' }).click()
  await expect(
    page.getByText(new RegExp(`Requested:.*${time} with Marcus Reed, pending confirmation`)),
  ).toBeVisible()

  await page.getByRole('link', { name: 'See my bookings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible()
  const appointments = page.getByRole('region', { name: 'Upcoming appointments' })
  const row = appointments.getByRole('listitem').filter({ hasText: 'Brooklyn Fade Barbershop' })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText(`${time}–`)
  await expect(row).toContainText('With Marcus Reed')
  await expect(row).toContainText('Notes: Short on the sides, please.')
  await expect(row.getByText('pending', { exact: true })).toBeVisible()
})

test('a deep link to My bookings asks to sign in, and brings you back, across reloads', async ({ page }) => {
  await page.goto('/bookings')
  await expect(page).toHaveURL(/\/login\?next=%2Fbookings$/)
  await page.reload()
  await expect(page).toHaveURL(/\/login\?next=%2Fbookings$/)
  await fillSignIn(page, demo('demo_ben'))
  await expect(page).toHaveURL(/\/bookings$/)
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible()
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Sunrise Vinyasa Flow' })).toBeVisible()
})
