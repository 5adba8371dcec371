// Waiting for a page to have finished loading: no spinner and no placeholder card left.
import { expect, type Page } from '@playwright/test'

export async function settled(page: Page): Promise<void> {
  await expect(page.locator('.animate-spin, .animate-pulse')).toHaveCount(0)
}
