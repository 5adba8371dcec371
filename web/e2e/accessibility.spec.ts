// axe on every page of the app, each once its content has loaded: signed out, as a customer, and
// as the owner of a business in the dashboard.
import { expect, type Locator, type Page, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { demo, nextWeekday, signIn } from './people'
import { settled } from './ready'

/** Opens `path`, waits for `ready` and for every spinner and placeholder to go, then runs axe. */
async function check(page: Page, path: string, ready: (page: Page) => Locator, what: string) {
  await page.goto(path)
  await expect(ready(page).first()).toBeVisible()
  await settled(page)
  await expectAccessible(page, what)
}

const h1 = (name: string) => (page: Page) => page.getByRole('heading', { level: 1, name, exact: true })

test('pages for everyone (signed out)', async ({ page }) => {
  await check(page, '/', (p) => p.getByRole('status').filter({ hasText: /^\d+ classes shown$/ }), 'catalog')
  await page.getByLabel('Search classes').fill('vinyasa')
  await page.getByRole('link', { name: 'Sunrise Vinyasa Flow' }).click()
  await expect(page.getByRole('link', { name: 'Sign in to book' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 3 }).first()).toBeVisible()
  await settled(page)
  await expectAccessible(page, 'session page (signed out)')
  await check(page, '/login', h1('Sign in'), 'sign in')
  await check(page, '/register', h1('Create an account'), 'register')
  await check(page, '/forgot-password', h1('Reset your password'), 'forgot password')
  await check(
    page,
    '/reset-password?token=not-a-real-token',
    (p) => p.getByLabel('New password', { exact: true }),
    'reset password',
  )
  await check(
    page,
    '/verify-email?token=not-a-real-token',
    (p) => p.getByRole('button', { name: 'Try again' }).or(p.getByText(/ask for a new link/)),
    'verify email (spent link)',
  )
  await check(
    page,
    '/invitations/accept?token=not-a-real-token',
    (p) => p.getByRole('main').getByRole('link', { name: 'Create an account' }),
    'accept invitation (signed out)',
  )
  await check(page, '/no/such/page', h1('Page not found'), '404 page')
})

test('a customer’s pages', async ({ page }) => {
  await signIn(page, demo('demo_alice'))
  await check(
    page,
    '/bookings',
    (p) => p.getByRole('region', { name: 'Upcoming', exact: true }).getByRole('listitem'),
    'my bookings',
  )
  await check(page, '/profile', h1('Your profile'), 'profile')
  const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' })
  await twoFactor.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await expect(twoFactor.getByLabel('Secret key')).toBeVisible()
  await expectAccessible(page, 'profile, two-factor set-up')
  await twoFactor.getByRole('button', { name: 'Cancel' }).click()

  await check(page, '/appointments', h1('Book an appointment'), 'appointments')
  await page.getByLabel('Business').selectOption({ label: 'Brooklyn Fade Barbershop' })
  await page.getByLabel('Date').fill(nextWeekday('America/New_York'))
  const time = page
    .getByRole('region', { name: /^Free times on / })
    .getByRole('button')
    .first()
  await time.click()
  await expect(page.getByRole('button', { name: 'Request appointment' })).toBeVisible()
  await expectAccessible(page, 'appointments, time chosen')

  await check(
    page,
    '/invitations/accept?token=not-a-real-token',
    (p) => p.getByRole('button', { name: 'Accept invitation' }),
    'accept invitation (signed in)',
  )
})

test('the dashboard of a business owner', async ({ page }) => {
  await signIn(page, demo('demo_olivia'))
  await check(
    page,
    '/dashboard',
    (p) => p.getByRole('heading', { name: 'Top sessions' }),
    'dashboard overview',
  )
  await check(
    page,
    '/dashboard/sessions',
    (p) => p.getByRole('region', { name: 'Sessions', exact: true }),
    'dashboard sessions',
  )
  await page.getByRole('link', { name: 'New session' }).click()
  await expect(h1('New session')(page)).toBeVisible()
  await page.getByRole('radio', { name: /Fixed times/ }).check()
  await page.getByRole('button', { name: 'Add time on Monday' }).click()
  await expectAccessible(page, 'dashboard session form')
  await check(
    page,
    '/dashboard/bookings',
    (p) => p.getByRole('region', { name: 'Bookings', exact: true }),
    'dashboard bookings',
  )
  await check(
    page,
    '/dashboard/reservations',
    (p) =>
      p.getByRole('region', { name: 'Reservations', exact: true }).or(p.getByText('No reservations yet.')),
    'dashboard reservations',
  )
  await check(page, '/dashboard/team', (p) => p.getByRole('region', { name: 'Members' }), 'dashboard team')
})
