// A failed job in the console: an email that cannot be written (the server's mail folder is replaced
// by a file for the moment) fails its tries and shows with its error; once the folder is back, the
// platform admin retries it and it goes through.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { openFromMenu, signInToConsole } from './console'
import { E2E_DATA_DIR, E2E_SUPERUSER } from './env'
import { demo } from './people'

const mail = join(E2E_DATA_DIR, 'mail')
const kept = join(E2E_DATA_DIR, 'mail-kept')

test('a failed job shows with its error and is retried', async ({ page }) => {
  const retry = page.getByRole('button', { name: 'Retry' })
  mkdirSync(mail, { recursive: true })
  renameSync(mail, kept)
  writeFileSync(mail, 'not a folder')
  try {
    // Someone asks for a password reset: its email cannot be written.
    await page.goto('/forgot-password')
    await page.getByLabel('Email').fill(demo('demo_ben').email)
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await expect(page.getByRole('button', { name: 'Send the link again' })).toBeVisible()
    await signInToConsole(page, E2E_SUPERUSER)
    await openFromMenu(page, 'Jobs')
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh jobs' }).click()
      await expect(retry.first()).toBeVisible({ timeout: 1_000 })
    }).toPass({ timeout: 30_000 })
    await expect(page.getByText('email.send').first()).toBeVisible()
    await expectAccessible(page, 'the jobs page')
  } finally {
    rmSync(mail, { force: true })
    renameSync(kept, mail)
  }
  await retry.first().click()
  await expect(page.getByText('Job queued again')).toBeVisible()
  // An email of another test may have failed in the same window: each failed job is retried.
  const refresh = page.getByRole('button', { name: 'Refresh jobs' })
  await expect(async () => {
    await refresh.click()
    await expect(refresh).toBeEnabled()
    if ((await retry.count()) > 0) await retry.first().click()
    await expect(page.getByText('No failed jobs.')).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
})
