// Browser tests: Debian's Chromium (never a downloaded browser) driven by Playwright, one worker,
// against the real server on the embedded database, started fresh for the run (e2e/server.mjs).
// `npm run test:browser`.
import { defineConfig, devices } from '@playwright/test'
import { E2E_PORT } from './e2e/env'

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: './playwright-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: /phone\.spec/ },
    { name: 'phone', use: { ...devices['Pixel 7'], channel: undefined }, testMatch: /phone\.spec/ },
  ],
  webServer: {
    command: 'node web/e2e/server.mjs',
    cwd: '..',
    url: `http://127.0.0.1:${E2E_PORT}/health/ready/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
