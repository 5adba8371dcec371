// At phone size (Pixel 7): the navigation behind "Menu", searching the catalog, booking a class and
// finding it under My bookings, with axe on the phone layout.
import { expect, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { newPerson, register } from './people'
import { settled } from './ready'

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
