// Signing in to the admin console as a person does, and finding things on its pages.
import { expect, type Page } from '@playwright/test'
import { linkInMail } from './mail'
import type { Person } from './people'

/** The console has finished loading: no progress bar or spinner left. */
export async function consoleSettled(page: Page) {
  await expect(page.getByRole('progressbar')).toHaveCount(0)
}

/** Signs in on /admin/ and waits for the console's frame (its app bar shows at every width). */
export async function signInToConsole(page: Page, person: Pick<Person, 'username' | 'password'>) {
  await page.goto('/admin/')
  await expect(page.getByRole('heading', { level: 1, name: 'Tessera admin' })).toBeVisible()
  await page.getByLabel('Username or email').fill(person.username)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('banner')).toBeVisible()
  await consoleSettled(page)
}

/** Opens a page of the console from its menu. */
export async function openFromMenu(page: Page, name: string) {
  await page.getByRole('menuitem', { name, exact: true }).click()
  await consoleSettled(page)
}

/** Registers a verified-later account through the API: a person for the console to manage. */
export async function registerThroughApi(page: Page, person: Person) {
  const response = await page.request.post('/api/auth/register/', {
    data: { username: person.username, email: person.email, password: person.password },
  })
  expect(response.status()).toBe(201)
}

/** Registers and verifies an account through the API (the token from the mail): its access token. */
export async function registerVerified(page: Page, person: Person, role: 'user' | 'creator' = 'user') {
  const response = await page.request.post('/api/auth/register/', {
    data: { username: person.username, email: person.email, password: person.password, role },
  })
  expect(response.status()).toBe(201)
  const link = new URL(await linkInMail(person.email, '/verify-email'))
  const verified = await page.request.post('/api/auth/email/verify/', {
    data: { token: link.searchParams.get('token') },
  })
  expect(verified.status()).toBe(200)
  return ((await response.json()).data.tokens.access as string) ?? ''
}
