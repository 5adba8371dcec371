// A webhook receiver for tests: a real node:http server on 127.0.0.1 that keeps every request and
// answers the statuses it is told (then 200), and the Standard Webhooks check a receiver makes, written
// here with node:crypto alone so that it does not share the code it tests.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll } from 'vitest'
import type { App } from '../../src/app.js'
import type { TestUser } from './accounts.js'

export type ReceivedHook = { path: string; headers: IncomingHttpHeaders; body: string }

export type Receiver = {
  /** The URL of `path` on this receiver (http://127.0.0.1:<port><path>). */
  url(path: string): string
  /** Every request received, oldest first. */
  received: ReceivedHook[]
  /** What `path` receives from now on, oldest first. */
  at(path: string): ReceivedHook[]
  /** The statuses `path` answers with next, in order; 200 once they are used up. */
  answer(path: string, statuses: number[]): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedHook[] = []
  const scripted = new Map<string, number[]>()
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.statusCode = scripted.get(path)?.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path) => received.filter((hook) => hook.path === path),
    answer: (path, statuses) => {
      scripted.set(path, [...statuses])
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A receiver for the test file, started before its tests and closed after them. */
export function useReceiver() {
  let receiver: Receiver | undefined
  beforeAll(async () => {
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await receiver?.close()
  })
  return () => {
    if (!receiver) throw new Error('the receiver starts in beforeAll')
    return receiver
  }
}

/**
 * Whether a request is signed with `secret` as Standard Webhooks says: a `v1,` signature among those
 * in webhook-signature equals the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the base64
 * part of the secret after `whsec_`.
 */
export function signedWith(secret: string, hook: ReceivedHook): boolean {
  const id = String(hook.headers['webhook-id'])
  const timestamp = String(hook.headers['webhook-timestamp'])
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${hook.body}`).digest()
  return String(hook.headers['webhook-signature'])
    .split(' ')
    .filter((signature) => signature.startsWith('v1,'))
    .some((signature) => {
      const given = Buffer.from(signature.slice(3), 'base64')
      return given.length === expected.length && timingSafeEqual(given, expected)
    })
}

export type WebhookOut = {
  id: string
  url: string
  events: string[]
  is_active: boolean
  description: string
  failing_since: string | null
  secret?: string
}

/** POST /api/businesses/{id}/webhooks/ as `user`: the endpoint made, with its secret. */
export async function makeWebhook(
  app: App,
  user: TestUser,
  businessId: string,
  payload: { url: string; events: string[]; description?: string },
): Promise<WebhookOut & { secret: string }> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/businesses/${businessId}/webhooks/`,
    headers: user.auth,
    payload,
  })
  if (response.statusCode !== 201) throw new Error(`webhook create: ${response.statusCode} ${response.body}`)
  return response.json().data
}

export type DeliveryOut = {
  id: string
  event_id: string
  event: string
  attempt: number
  status: 'pending' | 'succeeded' | 'failed'
  response_status: number | null
  duration_ms: number | null
  error: string | null
  at: string
}

/** The endpoint's delivery log as its API lists it (first page, newest first). */
export async function deliveriesOf(
  app: App,
  user: TestUser,
  businessId: string,
  webhookId: string,
): Promise<DeliveryOut[]> {
  const response = await app.inject({
    url: `/api/businesses/${businessId}/webhooks/${webhookId}/deliveries/?page_size=100`,
    headers: user.auth,
  })
  if (response.statusCode !== 200) throw new Error(`deliveries: ${response.statusCode} ${response.body}`)
  return response.json().data
}
