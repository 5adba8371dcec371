// At phone size (Pixel 7): the navigation behind "Menu", searching the catalog, booking a class and
// finding it under My bookings, with axe on the phone layout; and the console's lists, which fit the
// screen with their toolbars in sight.
import { expect, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { consoleSettled, signInToConsole } from './console'
import { demo, newPerson, register } from './people'
import { expectNoSidewaysScroll, settled } from './ready'

test('on a phone: find a class through the menu, book it, see it in My bookings', async ({ page }) => {
  const person = newPerson('p')
  await register(page, person)

  // The header's links hide behind the menu button.
  const menu = page.getByRole('button', { name: 'Menu' })
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(menu).toHaveAttribute('aria-expanded', 'false')
  await expect(nav.getByRole('link', { name: 'Classes' })).toBeHidden()
  await menu.click()
  await expect(menu).toHaveAttribute('aria-expanded', 'true')
  await nav.getByRole('link', { name: 'Classes' }).click()
  await expect(nav.getByRole('link', { name: 'Classes' })).toBeHidden()

  await expect(page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText(/^\d+ classes shown$/)
  await expect(page.getByLabel('Min price')).toBeHidden()
  await page.getByRole('button', { name: 'Show filters' }).click()
  await expect(page.getByLabel('Min price')).toBeVisible()
  await page.getByRole('button', { name: 'Hide filters' }).click()
  await settled(page)
  await expectAccessible(page, 'catalog on a phone')

  await page.getByLabel('Search classes').fill('pilates')
  await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText('1 class shown')
  await page.getByRole('link', { name: 'Reformer Pilates Intro' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Reformer Pilates Intro' })).toBeVisible()
  // Its third date (two a day): never one that starts while the test runs.
  const slot = page.getByRole('button', { name: /^Book \d\d:\d\d$/ }).nth(2)
  await slot.scrollIntoViewIfNeeded()
  await slot.tap()
  await expect(page.getByText(/Booked!.*pending confirmation/)).toBeVisible()
  await settled(page)
  await expectAccessible(page, 'session page on a phone, booked')

  await menu.click()
  await nav.getByRole('link', { name: 'My bookings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible()
  const row = page
    .getByRole('region', { name: 'Upcoming', exact: true })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: 'Reformer Pilates Intro' }) })
  await expect(row.getByText('pending', { exact: true })).toBeVisible()
  await settled(page)
  await expectAccessible(page, 'my bookings on a phone')
})

test('the console on a phone: each list fits the screen, its title readable beside the business', async ({
  page,
}) => {
  await signInToConsole(page, demo('demo_olivia'))
  const title = page.locator('#react-admin-title')
  await expect(title).toHaveText('Home')
  const lists = {
    bookings: 'Bookings',
    sessions: 'Sessions',
    reservations: 'Reservations',
    'audit-log': 'Audit log',
    businesses: 'Businesses',
    webhooks: 'Webhooks',
  }
  for (const [path, name] of Object.entries(lists)) {
    await page.goto(`/admin/${path}`)
    await expect(title).toHaveText(name)
    await consoleSettled(page)
    // The title is not cut off by the business's name beside it.
    expect(await title.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true)
    await expect(page.getByText('Lotus Yoga Studio · owner')).toBeInViewport()
    await expectNoSidewaysScroll(page)
  }
  // A wide table scrolls in its own box, which leaves the list's buttons on the screen.
  await page.goto('/admin/bookings')
  await consoleSettled(page)
  await expect(page.getByRole('button', { name: 'Columns' })).toBeInViewport()
  await expect(page.getByRole('button', { name: 'Export JSON' })).toBeInViewport()
  await expectAccessible(page, 'the console’s bookings on a phone')

  // A business's page: its tabs scroll, and the invitation form's button keeps its words.
  await page.goto('/admin/businesses')
  await page.getByText('Lotus Yoga Studio', { exact: true }).click()
  await page.getByRole('tab', { name: 'Members' }).click()
  await expect(page.getByRole('table', { name: 'Members' })).toBeVisible()
  await consoleSettled(page)
  await expectNoSidewaysScroll(page)
  await expect(page.getByRole('button', { name: 'Invite', exact: true })).toHaveText('Invite')
  await expectAccessible(page, 'a business’s members on a phone')
})
