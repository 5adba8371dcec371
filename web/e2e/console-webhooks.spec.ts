// Webhooks in the console: an owner adds an endpoint pointing at a receiver of the test's own on
// 127.0.0.1 (the test server runs with WEBHOOK_ALLOW_PRIVATE), sees its secret once, watches a
// booking's event arrive signed with it and show as succeeded, redelivers it as a second attempt,
// rotates the secret, edits and deletes the endpoint; the pages pass axe and fit a phone. A manager
// and an agent have no webhooks page.
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Browser, expect, type Page, test } from '@playwright/test'
import { expectAccessible } from './axe'
import { consoleSettled, openFromMenu, registerVerified, signInToConsole } from './console'
import { demo, newPerson } from './people'
import { expectNoSidewaysScroll } from './ready'

type Received = { headers: IncomingHttpHeaders; body: string }

/** An HTTP receiver on 127.0.0.1 that answers 204 and keeps every request it gets. */
async function startReceiver() {
  const received: Received[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/tessera`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Whether a request carries the Standard Webhooks signature that `secret` makes. */
function signedWith(request: Received, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const id = request.headers['webhook-id']
  const timestamp = request.headers['webhook-timestamp']
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64')
  return request.headers['webhook-signature'] === `v1,${signature}`
}

/** Books the Wheel Throwing Taster (demo_sofia's business) for a new customer, in a page of their own. */
async function bookPottery(browser: Browser) {
  const theirs = await browser.newContext()
  const page = await theirs.newPage()
  const access = await registerVerified(page, newPerson('wh'))
  const sessions = await page.request.get('/api/sessions/?search=Wheel Throwing Taster')
  const session = (await sessions.json()).data[0].id as string
  const slots = await page.request.get(`/api/sessions/${session}/slots/`)
  const start = (await slots.json()).data[2].start as string
  const booked = await page.request.post('/api/bookings/', {
    headers: { authorization: `Bearer ${access}` },
    data: { session, booking_date: start },
  })
  expect(booked.status()).toBe(201)
  await theirs.close()
}

/** The secret the dialog shows, after checking the warning that it will not be shown again. */
async function secretFromDialog(page: Page, title: string): Promise<string> {
  const dialog = page.getByRole('dialog', { name: title })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('it will not be shown again')
  const secret = await dialog.getByLabel('Signing secret').inputValue()
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
  return secret
}

/** The page scrolls only vertically: nothing sticks out sideways. */
test('an owner adds an endpoint, sees its secret once, and follows its deliveries', async ({
  page,
  context,
  browser,
}, testInfo) => {
  const receiver = await startReceiver()
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  try {
    await signInToConsole(page, demo('demo_sofia'))
    await openFromMenu(page, 'Webhooks')
    await expect(page.getByText('No webhook endpoints yet.')).toBeVisible()
    await expectAccessible(page, 'the empty webhooks list')
    await page.getByRole('link', { name: 'Add an endpoint' }).first().click()

    // The form asks for events before it sends anything.
    await page.getByLabel('URL').fill(receiver.url)
    await page.getByLabel('Description').fill('Our booking CRM')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Choose at least one event.').first()).toBeVisible()
    await page.getByRole('checkbox', { name: /^booking\.created/ }).check()
    await page.getByRole('checkbox', { name: /^booking\.status_changed/ }).check()
    await expectAccessible(page, 'the new webhook form')
    await testInfo.attach('new endpoint form', { body: await page.screenshot(), contentType: 'image/png' })
    await page.getByRole('button', { name: 'Save' }).click()

    // The secret shows once, with a copy button.
    const title = "The endpoint's signing secret"
    const secret = await secretFromDialog(page, title)
    await expectAccessible(page, 'the secret dialog')
    await testInfo.attach('secret dialog', { body: await page.screenshot(), contentType: 'image/png' })
    await page.getByRole('button', { name: 'Copy secret' }).click()
    await expect(page.getByText('The secret is copied to your clipboard.')).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    await page.getByRole('button', { name: 'I have saved the secret' }).click()
    await expect(page.getByRole('dialog', { name: title })).toHaveCount(0)
    await expect(page).toHaveURL(/\/admin\/webhooks\/[0-9a-f-]{36}\/show$/)
    const endpointUrl = page.url()
    await expect(page.getByText('Nothing has been sent to this endpoint yet.')).toBeVisible()
    await expect(page.getByText(secret)).toHaveCount(0)

    // A booking is made: its event reaches the receiver, signed with that secret, and shows.
    await bookPottery(browser)
    const first = page.getByRole('row').filter({ hasText: 'booking.created' })
    await expect(first).toContainText('succeeded', { timeout: 20_000 })
    await expect(first).toContainText('204')
    expect(receiver.received).toHaveLength(1)
    expect(signedWith(receiver.received[0] as Received, secret)).toBe(true)
    expect(JSON.parse((receiver.received[0] as Received).body).type).toBe('booking.created')

    // Redelivered: a second attempt of the same event.
    await first.getByRole('button', { name: 'Redeliver booking.created, attempt 1' }).click()
    await expect(page.getByText('booking.created is being sent again as attempt 2.')).toBeVisible()
    const second = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '2', exact: true }) })
    await expect(second).toContainText('succeeded', { timeout: 20_000 })
    expect(receiver.received).toHaveLength(2)
    const [once, again] = receiver.received as [Received, Received]
    expect(again.headers['webhook-id']).toBe(once.headers['webhook-id'])
    await expectAccessible(page, 'the webhook with its deliveries')
    await testInfo.attach('webhook page', { body: await page.screenshot(), contentType: 'image/png' })

    // Rotating asks first, then shows the new secret the same way; the next attempt is signed with it.
    await page.getByRole('button', { name: 'Rotate secret' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click()
    const rotated = await secretFromDialog(page, "The endpoint's new signing secret")
    expect(rotated).not.toBe(secret)
    await page.getByRole('button', { name: 'I have saved the secret' }).click()
    await expect(page.getByText('Signing secret rotated')).toBeVisible()
    await first.getByRole('button', { name: 'Redeliver booking.created, attempt 1' }).click()
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(3)
    expect(signedWith(receiver.received[2] as Received, rotated)).toBe(true)

    // The list shows the endpoint with its last delivery.
    await openFromMenu(page, 'Webhooks')
    const row = page.getByRole('row').filter({ hasText: receiver.url })
    await expect(row).toContainText('Our booking CRM')
    await expect(row).toContainText('succeeded')
    await expectAccessible(page, 'the webhooks list')
    await testInfo.attach('webhooks list', { body: await page.screenshot(), contentType: 'image/png' })

    // At phone width the list and the endpoint's page fit the screen.
    await page.setViewportSize({ width: 412, height: 839 })
    await consoleSettled(page)
    await expect(page.getByText(receiver.url)).toBeVisible()
    await expectNoSidewaysScroll(page)
    await testInfo.attach('webhooks list, phone', { body: await page.screenshot(), contentType: 'image/png' })
    await page.goto(endpointUrl)
    await consoleSettled(page)
    await expect(page.getByRole('button', { name: 'Rotate secret' })).toBeVisible()
    await expectNoSidewaysScroll(page)
    await testInfo.attach('webhook page, phone', {
      body: await page.screenshot({ fullPage: true }),
      contentType: 'image/png',
    })
    await page.setViewportSize({ width: 1280, height: 800 })

    // Edited, then deleted after a confirmation; its page then says it is gone.
    await page.getByRole('link', { name: 'Edit' }).click()
    await page.getByLabel('Description').fill('Our booking CRM, statuses only')
    await page.getByRole('checkbox', { name: /^booking\.created/ }).uncheck()
    await page.getByRole('button', { name: 'Save' }).click()
    // The edit form's own textarea holds the new text too, so wait for the endpoint's page: a Delete
    // clicked on the form would have its dialog closed by the redirect that follows the save.
    await expect(page).toHaveURL(endpointUrl)
    await expect(page.getByRole('button', { name: 'Rotate secret' })).toBeVisible()
    await expect(page.getByText('Our booking CRM, statuses only')).toBeVisible()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page
      .getByRole('dialog', { name: 'Delete this webhook endpoint?' })
      .getByRole('button', {
        name: 'Confirm',
      })
      .click()
    await expect(page.getByText('No webhook endpoints yet.')).toBeVisible()
    await page.goto(endpointUrl)
    await expect(page.getByText('That webhook endpoint no longer exists').first()).toBeVisible()
  } finally {
    await receiver.close()
  }
})

test('a manager and an agent have no webhooks page', async ({ page }) => {
  for (const person of [demo('demo_priya'), demo('demo_diego')]) {
    await signInToConsole(page, person)
    await expect(page.getByRole('menuitem', { name: 'Bookings' })).toBeVisible()
    await expect(page.getByRole('menuitem', { name: 'Webhooks' })).toHaveCount(0)
    await page.goto('/admin/webhooks')
    await expect(page.getByText('Either you typed a wrong URL, or you followed a bad link.')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Add an endpoint' })).toHaveCount(0)
    await page.context().clearCookies()
  }
})
