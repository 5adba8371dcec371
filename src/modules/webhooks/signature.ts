// Standard Webhooks signing (https://www.standardwebhooks.com/): the secret is `whsec_` and the base64
// of random bytes; each request carries its id, its Unix timestamp and `v1,` + the base64 HMAC-SHA256
// of "id.timestamp.body" keyed with the secret's decoded bytes.
import { createHmac, randomBytes } from 'node:crypto'
import { decryptSecret, deriveKey, encryptSecret } from '../../platform/crypto.js'

const SECRET_PREFIX = 'whsec_'
const SECRET_BYTES = 32

export const newWebhookSecret = () => `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`

/** `v1,<signature>` of one request. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_')
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/** The three headers that let a receiver check who sent a request, and when. */
export function signedHeaders(secret: string, id: string, timestamp: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secret, id, timestamp, body),
  }
}

/** Seals and opens endpoint secrets at rest, with a key derived from SECRET_KEY for this purpose only. */
export function secretBox(secretKey: string) {
  const key = deriveKey(secretKey, 'webhook-secret')
  return {
    seal: (secret: string) => encryptSecret(key, secret),
    open: (sealed: string) => decryptSecret(key, sealed),
  }
}

export type SecretBox = ReturnType<typeof secretBox>
