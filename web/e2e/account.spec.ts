// Account journeys: a forgotten password reset from the emailed link, and two-factor authentication
// turned on in the profile then used to sign in.
import { expect, test } from '@playwright/test'
import * as OTPAuth from 'otpauth'
import { linkInMail } from './mail'
import { fillSignIn, newPerson, register, signOut } from './people'

test('forgot password: the emailed link sets a new one, which then signs in', async ({ page }) => {
  const person = newPerson()
  await register(page, person)
  await page.getByRole('link', { name: 'Continue' }).click()
  await signOut(page)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click()
  await page.getByRole('link', { name: 'Forgot your password?' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible()
  await page.getByLabel('Email').fill(person.email)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(
    page.getByText(`If an account exists for ${person.email}, we sent a link to it.`),
  ).toBeVisible()

  await page.goto(await linkInMail(person.email, '/reset-password'))
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible()
  const newPassword = 'Quiet-Meadow-Lighthouse-58'
  await page.getByLabel('New password', { exact: true }).fill(newPassword)
  await page.getByLabel('Confirm new password').fill(newPassword)
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page.getByText('Your password has been changed.')).toBeVisible()
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click()

  // The old password no longer works; the new one does.
  await fillSignIn(page, person)
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(page).toHaveURL(/\/login/)
  await fillSignIn(page, { username: person.username, password: newPassword })
  await expect(page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible()
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }),
  ).toBeVisible()
})

test('turn on two-factor authentication, then sign in with a code', async ({ page }) => {
  const person = newPerson()
  await register(page, person)
  await page.getByRole('link', { name: 'Continue' }).click()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible()
  const section = page.getByRole('region', { name: 'Two-factor authentication' })
  await section.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await expect(section.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
  const secret = await section.getByLabel('Secret key').inputValue()
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/)

  // What the authenticator app would show. The sign-in below uses the next 30-second step's code:
  // the server refuses a step it already accepted (replay), and takes one step either side.
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) })
  const now = Date.now()
  await section.getByLabel('Code from your app').fill(totp.generate({ timestamp: now }))
  await section.getByLabel('Current password').fill(person.password)
  await section.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
  await expect(section.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible()
  await section.getByRole('button', { name: 'I saved them' }).click()
  await expect(section.getByText('On', { exact: true })).toBeVisible()
  await expect(section.getByRole('button', { name: 'Turn off two-factor authentication' })).toBeVisible()

  await signOut(page)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click()
  await fillSignIn(page, person)
  await expect(page.getByRole('heading', { level: 1, name: 'Two-factor authentication' })).toBeVisible()
  await expect(page.getByLabel('Authentication code')).toBeFocused()
  await page.getByLabel('Authentication code').fill(totp.generate({ timestamp: now + 30_000 }))
  await page.getByRole('button', { name: 'Verify and sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Classes' })).toBeVisible()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click()
  await expect(
    page.getByRole('region', { name: 'Two-factor authentication' }).getByText('On', { exact: true }),
  ).toBeVisible()
})
