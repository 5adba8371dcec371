// The people of the browser tests: fresh accounts made through the pages (a name nobody else uses,
// so every test stands alone), the demo accounts, and signing in and out as a person does it.
import { expect, type Page } from '@playwright/test'
import { linkInMail } from './mail'

export const DEMO_PASSWORD = 'Tessera-demo-Sunrise-42'
/** A password the policy takes that is not close to any generated username. */
export const PASSWORD = 'Lantern-Harbour-e2e-73'

let counter = 0
/** A username nobody has yet: u<time><counter>, within the allowed characters. */
export function uniqueName(prefix = 'u'): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1000)}`
}

export type Person = { username: string; email: string; password: string }

export function newPerson(prefix = 'u'): Person {
  const username = uniqueName(prefix)
  return { username, email: `${username}@example.com`, password: PASSWORD }
}

export const demo = (username: string): Person => ({
  username,
  email: `${username.replace(/^demo_/, '')}@demo.tessera.example`,
  password: DEMO_PASSWORD,
})

/** Creates an account on /register (signed in at once afterwards) and waits for "Continue". */
export async function register(
  page: Page,
  person: Person,
  role: 'customer' | 'creator' = 'customer',
): Promise<void> {
  await page.goto('/register')
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible()
  await page.getByLabel('Username').fill(person.username)
  await page.getByLabel('Email').fill(person.email)
  await page.getByLabel('Password', { exact: true }).fill(person.password)
  await page
    .getByRole('radio', {
      name: role === 'creator' ? 'Offer sessions (creator)' : 'Book sessions (customer)',
    })
    .check()
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Check your inbox' })).toBeVisible()
  await expect(page.getByText(person.email)).toBeVisible()
  // Signed in once "Continue" shows.
  await expect(page.getByRole('link', { name: 'Continue' })).toBeVisible()
}

/** Opens the verification link from the mail and waits for the confirmation. */
export async function verifyEmail(page: Page, person: Person): Promise<void> {
  await page.goto(await linkInMail(person.email, '/verify-email'))
  await expect(page.getByRole('heading', { level: 1, name: 'Verify your email' })).toBeVisible()
  await expect(page.getByText('Your email is verified')).toBeVisible()
}

/** Signs in on /login (with `next`, if given) and waits to land where it leads. */
export async function signIn(page: Page, person: Person, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login')
  await fillSignIn(page, person)
  await expect(page).not.toHaveURL(/\/login/)
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }),
  ).toBeAttached()
}

/** Fills and sends the sign-in form already on the page. */
export async function fillSignIn(page: Page, person: Pick<Person, 'username' | 'password'>): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await page.getByLabel('Username or email').fill(person.username)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

/** Signs out from the header (desktop layout) and waits for the signed-out header. */
export async function signOut(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('button', { name: 'Sign out' }).click()
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible()
}

/** The next Monday–Friday strictly after today in a time zone, as YYYY-MM-DD. */
export function nextWeekday(timeZone: string): string {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date())
  const date = new Date(`${today}T12:00:00Z`)
  do date.setUTCDate(date.getUTCDate() + 1)
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6)
  return date.toISOString().slice(0, 10)
}
