// A creator's journey: sign up as a creator, publish a group class from the dashboard, and confirm
// the booking a customer (another browser) makes of it.
import { expect, test } from '@playwright/test'
import { newPerson, register, verifyEmail } from './people'

const WEEK = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

test('a creator publishes a class, a customer books it, the creator confirms it', async ({
  page,
  browser,
}) => {
  const creator = newPerson('c')
  const title = `Harbour Stretch ${creator.username}`

  // Sign up as a creator (a business of one's own comes with it) and verify the address.
  await register(page, creator, 'creator')
  await verifyEmail(page, creator)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByText('Your role: Owner')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  const sections = page.getByRole('navigation', { name: 'Dashboard sections' })
  await sections.getByRole('link', { name: 'Sessions' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible()
  await page.getByRole('link', { name: 'New session' }).click()

  // The form: a group class at 11:00 every day of the week, so a date comes up within days.
  await expect(page.getByRole('heading', { level: 1, name: 'New session' })).toBeVisible()
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Description').fill('Gentle stretching by the water, for every body.')
  await page.getByLabel('Duration (minutes)').fill('45')
  await page.getByLabel(/^Price \(/).fill('9.50')
  await page.getByLabel('Max participants').fill('8')
  await page.getByRole('radio', { name: /Fixed times \(group class\)/ }).check()
  for (const day of WEEK) {
    await page.getByRole('button', { name: `Add time on ${day}` }).click()
    await page.getByLabel(`${day} time 1`).fill('11:00')
  }
  await page.getByRole('button', { name: 'Create session' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible()
  await expect(page.getByText(`${title} was created.`)).toBeVisible()

  // A customer, in a browser of their own, finds the class and books its first date.
  const customerContext = await browser.newContext()
  const customerPage = await customerContext.newPage()
  const customer = newPerson()
  await register(customerPage, customer)
  await customerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Classes' }).click()
  await customerPage.getByLabel('Search classes').fill(creator.username)
  await customerPage.getByRole('link', { name: title }).click()
  await expect(customerPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
  // The second date: never today's, which might start while the test runs.
  await customerPage.getByRole('button', { name: 'Book 11:00' }).nth(1).click()
  await expect(customerPage.getByText(/Booked!.*pending confirmation/)).toBeVisible()
  await customerPage.getByRole('link', { name: 'See my bookings' }).click()
  const customerRow = customerPage
    .getByRole('region', { name: 'Upcoming', exact: true })
    .getByRole('listitem')
    .filter({ has: customerPage.getByRole('link', { name: title }) })
  await expect(customerRow.getByText('pending', { exact: true })).toBeVisible()

  // The creator confirms it under the dashboard's Bookings.
  await sections.getByRole('link', { name: 'Bookings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible()
  const bookings = page.getByRole('region', { name: 'Bookings', exact: true })
  const row = bookings.getByRole('row').filter({ hasText: customer.username })
  await expect(row).toContainText(title)
  await expect(row.getByText('pending', { exact: true })).toBeVisible()
  await row.getByRole('button', { name: new RegExp(`^Confirm booking for ${customer.username} on `) }).click()
  await expect(
    page.getByText(new RegExp(`Booking for ${customer.username} on .* confirmed\\.`)),
  ).toBeVisible()
  await expect(row.getByText('confirmed', { exact: true })).toBeVisible()

  // The customer sees it confirmed.
  await customerPage.reload()
  await expect(customerRow.getByText('confirmed', { exact: true })).toBeVisible()
  await customerContext.close()
})
