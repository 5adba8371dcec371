// Waiting for a page to have finished loading (no spinner and no placeholder card left), and
// checking that it fits the screen's width.
import { expect, type Page } from '@playwright/test'

export async function settled(page: Page): Promise<void> {
  await expect(page.locator('.animate-spin, .animate-pulse')).toHaveCount(0)
}

/** The page is no wider than the screen: only a wide table may scroll sideways, in its own box. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
}
