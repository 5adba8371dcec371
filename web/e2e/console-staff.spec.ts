// The admin console as business staff use it: an owner invites a member who accepts from the mail,
// changes their role and cannot remove the last owner, and reads the change in the audit log; a
// manager confirms three bookings at once; an agent sees bookings but no settings, members or figures.
import { expect, type Page, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { consoleSettled, openFromMenu, registerVerified, signInToConsole } from './console'
import { linkInMail } from './mail'
import { demo, newPerson, signIn } from './people'

test('an owner invites a member, changes their role, keeps the last owner, and audits it', async ({
  page,
  browser,
}) => {
  const owner = newPerson('own')
  const invitee = newPerson('inv')
  await registerVerified(page, owner, 'creator')

  await signInToConsole(page, owner)
  await expectAccessible(page, 'the console home (dashboard)')
  await openFromMenu(page, 'Businesses')
  await page.getByRole('row').nth(1).click()
  await page.getByRole('tab', { name: 'Members' }).click()
  const invite = page.getByRole('form', { name: 'New invitation' })
  await invite.getByLabel('Email').fill(invitee.email)
  await invite.getByLabel('Role').selectOption('agent')
  await invite.getByRole('button', { name: 'Invite' }).click()
  await expect(page.getByText(`Invitation sent to ${invitee.email}.`)).toBeVisible()

  // The invited person registers with that address and accepts from the mail's link.
  const theirs = await (await browser.newContext()).newPage()
  await registerVerified(theirs, invitee)
  await signIn(theirs, invitee)
  await theirs.goto(await linkInMail(invitee.email, '/invitations/accept'))
  await theirs.getByRole('button', { name: 'Accept invitation' }).click()
  await expect(theirs.getByText('Welcome to the team!')).toBeVisible()
  await theirs.close()

  await page.reload()
  await page.getByRole('tab', { name: 'Members' }).click()
  await page.getByLabel(`Role of ${invitee.username}`).selectOption('manager')
  await consoleSettled(page)
  await expect(page.getByLabel(`Role of ${invitee.username}`)).toHaveValue('manager')

  await page.getByRole('button', { name: `Remove ${owner.username}` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click()
  await expect(page.getByText('A business needs at least one owner.').first()).toBeVisible()

  await openFromMenu(page, 'Audit log')
  await page.getByRole('row').filter({ hasText: 'membership' }).filter({ hasText: 'update' }).first().click()
  const change = page.getByRole('row').filter({ hasText: 'role' }).last()
  await expect(change).toContainText('agent')
  await expect(change).toContainText('manager')
  await expectAccessible(page, 'the audit log')
})

/** A pending booking of the Lotus Yoga Studio's Beginners' Hatha by a new customer: their username. */
async function pendingYogaBooking(page: Page): Promise<string> {
  const customer = newPerson('bk')
  const access = await registerVerified(page, customer)
  const sessions = await page.request.get("/api/sessions/?search=Beginners' Hatha")
  const session = (await sessions.json()).data[0].id as string
  const slots = await page.request.get(`/api/sessions/${session}/slots/`)
  const start = (await slots.json()).data[1].start as string
  const booked = await page.request.post('/api/bookings/', {
    headers: { authorization: `Bearer ${access}` },
    data: { session, booking_date: start },
  })
  expect(booked.status()).toBe(201)
  return customer.username
}

test('a manager confirms three bookings at once', async ({ page }) => {
  const customers = [
    await pendingYogaBooking(page),
    await pendingYogaBooking(page),
    await pendingYogaBooking(page),
  ]
  await signInToConsole(page, demo('demo_priya'))
  await openFromMenu(page, 'Bookings')
  for (const username of customers)
    await page.getByRole('row').filter({ hasText: username }).getByRole('checkbox').check()
  await page.getByRole('button', { name: 'Confirm' }).first().click()
  await expect(page.getByText('3 bookings confirmed')).toBeVisible()
  for (const username of customers)
    await expect(page.getByRole('row').filter({ hasText: username })).toContainText('confirmed')
  await expectAccessible(page, 'the bookings list')
})

test('an agent sees bookings but no settings, members or figures', async ({ page }) => {
  await signInToConsole(page, demo('demo_diego'))
  await expect(page.getByText("Your role does not include the business's figures")).toBeVisible()
  const menu = page.getByRole('menuitem')
  await expect(menu.filter({ hasText: 'Bookings' })).toBeVisible()
  await expect(menu.filter({ hasText: 'Settings' })).toHaveCount(0)
  await expect(menu.filter({ hasText: 'Audit log' })).toHaveCount(0)
  await expect(menu.filter({ hasText: 'Users' })).toHaveCount(0)
  await openFromMenu(page, 'Bookings')
  await expect(page.getByRole('columnheader', { name: 'Status' })).toBeVisible()
  await openFromMenu(page, 'Businesses')
  await page.getByRole('row').filter({ hasText: 'Brooklyn Fade Barbershop' }).click()
  await expect(page.getByRole('tab', { name: 'Details' })).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Members' })).toHaveCount(0)
  await expect(page.getByRole('tab', { name: 'Invitations' })).toHaveCount(0)
})
