/**
 * Small cryptographic helpers built on node:crypto only.
 *
 * - `deriveKey` turns SECRET_KEY into one independent key per purpose (HKDF-SHA256), so JWT signing,
 *   TOTP-secret encryption and any later use never share key material.
 * - `encryptSecret` / `decryptSecret` seal short secrets (e.g. TOTP secrets) at rest with AES-256-GCM.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'

const APP_SALT = 'tessera'
const SEALED_VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
const BASE64URL = /^[A-Za-z0-9_-]*$/

/** HKDF-SHA256 of `secret` with the app salt and `purpose` as info: stable, and distinct per purpose. */
export function deriveKey(secret: string, purpose: string, length = KEY_BYTES): Buffer {
  if (!purpose) throw new Error('deriveKey needs a purpose')
  return Buffer.from(hkdfSync('sha256', secret, APP_SALT, purpose, length))
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key`)
}

/** AES-256-GCM with a random 12-byte IV; returns `v1.<iv>.<tag>.<ciphertext>` (each base64url). */
export function encryptSecret(key: Buffer, plaintext: string): string {
  assertKey(key)
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [
    SEALED_VERSION,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ciphertext.toString('base64url'),
  ].join('.')
}

function decodePart(part: string): Buffer {
  if (!BASE64URL.test(part)) throw new Error('Malformed sealed secret')
  return Buffer.from(part, 'base64url')
}

/** Opens a value from `encryptSecret`; throws on a malformed value, tampering or a wrong key. */
export function decryptSecret(key: Buffer, sealed: string): string {
  assertKey(key)
  const parts = sealed.split('.')
  if (parts.length !== 4 || parts[0] !== SEALED_VERSION) throw new Error('Malformed sealed secret')
  const iv = decodePart(parts[1] ?? '')
  const tag = decodePart(parts[2] ?? '')
  const ciphertext = decodePart(parts[3] ?? '')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Malformed sealed secret')
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    throw new Error('Sealed secret failed authentication (tampered or wrong key)')
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** `bytes` random bytes as base64url (32 bytes -> 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** Constant-time comparison of two strings (UTF-8 bytes); false for different lengths, never throws. */
export function timingSafeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  if (left.length !== right.length) return false
  return timingSafeEqual(left, right)
}
