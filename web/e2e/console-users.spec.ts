// The admin console as a platform admin uses it: the superuser that `createsuperuser` made signs in,
// finds a user by search, deactivates them, and that person can no longer sign in.
import { expect, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { consoleSettled, openFromMenu, registerThroughApi, signInToConsole } from './console'
import { E2E_SUPERUSER } from './env'
import { fillSignIn, newPerson } from './people'

test('createsuperuser → sign in → find a user → deactivate them: they cannot sign in any more', async ({
  page,
  browser,
}) => {
  const person = newPerson('gone')
  await registerThroughApi(page, person)

  await signInToConsole(page, E2E_SUPERUSER)
  await openFromMenu(page, 'Users')
  await expect(page.getByRole('columnheader', { name: 'Username' })).toBeVisible()
  await expectAccessible(page, 'the users list')

  await page.getByRole('textbox', { name: 'Username, email or name' }).fill(person.username)
  await expect(page.getByRole('row')).toHaveCount(2)
  await page.getByRole('cell', { name: person.username, exact: true }).click()
  await expect(page.getByText(person.email)).toBeVisible()

  await page.getByRole('button', { name: 'Deactivate' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click()
  // Back on the list, which may carry its search in the address.
  await expect(page).toHaveURL(/\/admin\/users(\?|$)/)
  await consoleSettled(page)

  // The deactivated person tries to sign in to the web app in their own browser.
  const theirs = await browser.newPage()
  await theirs.goto('/login')
  await fillSignIn(theirs, person)
  await expect(theirs.getByRole('alert')).toContainText('That username or password is not right.')
  await theirs.close()

  // An admin still sees them, marked inactive.
  await openFromMenu(page, 'Users')
  await page.getByRole('textbox', { name: 'Username, email or name' }).fill(person.username)
  await page.getByRole('cell', { name: person.username, exact: true }).click()
  await page.getByRole('link', { name: 'Edit' }).click()
  await expect(page.getByRole('switch', { name: 'Active (may sign in)' })).not.toBeChecked()
  await expectAccessible(page, 'the user edit form')
})
