// The README's screenshots (docs/screenshots/*.png), taken from the demo data once each page has
// loaded: 1280×800 viewports (not whole long pages), and the catalog at phone size.
import { fileURLToPath } from 'node:url'
import { expect, type Page, test } from '@playwright/test'
import { consoleSettled, openFromMenu, signInToConsole } from './console'
import { demo, nextWeekday, signIn } from './people'
import { settled } from './ready'

const DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

test.use({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })

async function shoot(page: Page, name: string) {
  await settled(page)
  await page.screenshot({ path: `${DIR}${name}.png`, animations: 'disabled', caret: 'hide' })
}

test('customer pages', async ({ page }) => {
  await signIn(page, demo('demo_alice'))
  // Title order: the demo's classes first, whatever other tests added.
  await page.goto('/?ordering=title')
  await expect(page.getByRole('link', { name: "Beginners' Hatha" })).toBeVisible()
  await expect(page.getByText(/^Next: /).first()).toBeVisible()
  await shoot(page, 'catalog')

  await page.getByLabel('Search classes').fill('vinyasa')
  await page.getByRole('link', { name: 'Sunrise Vinyasa Flow' }).click()
  await expect(page.getByRole('button', { name: /^Book \d\d:\d\d$/ }).first()).toBeVisible()
  await shoot(page, 'session')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click()
  await expect(
    page.getByRole('region', { name: 'Upcoming', exact: true }).getByRole('listitem').first(),
  ).toBeVisible()
  await expect(page.getByLabel('Calendar feed link')).toBeVisible()
  await shoot(page, 'my-bookings')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appointments' }).click()
  await page.getByLabel('Business').selectOption({ label: 'Brooklyn Fade Barbershop' })
  await page.getByLabel('Date').fill(nextWeekday('America/New_York'))
  await page.getByLabel('With').selectOption({ label: 'Marcus Reed' })
  await page
    .getByRole('region', { name: /^Free times on / })
    .getByRole('button')
    .nth(2)
    .click()
  await expect(page.getByRole('button', { name: 'Request appointment' })).toBeVisible()
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await shoot(page, 'appointments')
})

test('profile with two-factor set-up', async ({ page }) => {
  await signIn(page, demo('demo_daniel'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click()
  const section = page.getByRole('region', { name: 'Two-factor authentication' })
  await section.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await expect(section.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await section.evaluate((element) => {
    element.scrollIntoView({ block: 'start' })
    window.scrollBy(0, -16)
  })
  await shoot(page, 'profile-2fa')
})

test('dashboard overview', async ({ page }) => {
  await signIn(page, demo('demo_olivia'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByRole('heading', { name: 'Top sessions' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Bookings by status' })).toBeVisible()
  await shoot(page, 'dashboard')
})

test('catalog on a phone', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 412, height: 839 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  })
  const page = await context.newPage()
  // Title order: the demo's classes first, whatever other tests added.
  await page.goto('/?ordering=title')
  await expect(page.getByRole('link', { name: "Beginners' Hatha" })).toBeVisible()
  await shoot(page, 'catalog-phone')
  await context.close()
})

test('admin console pages', async ({ page }) => {
  await signInToConsole(page, demo('demo_olivia'))
  await expect(page.getByRole('heading', { level: 2, name: 'Top sessions' })).toBeVisible()
  await consoleSettled(page)
  await page.screenshot({ path: `${DIR}console-home.png`, animations: 'disabled', caret: 'hide' })
  await openFromMenu(page, 'Bookings')
  await expect(page.getByRole('columnheader', { name: 'Status' })).toBeVisible()
  await consoleSettled(page)
  await page.screenshot({ path: `${DIR}console-bookings.png`, animations: 'disabled', caret: 'hide' })
})
