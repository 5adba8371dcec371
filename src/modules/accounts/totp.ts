/**
 * TOTP (RFC 6238) with the Google Authenticator defaults: SHA1, 6 digits, 30-second steps,
 * plus recovery codes for users who lose their authenticator.
 */
import { randomInt } from 'node:crypto'
import { HOTP, Secret, TOTP } from 'otpauth'
import { timingSafeEqualText } from '../../platform/crypto.js'

export const TOTP_ALGORITHM = 'SHA1'
export const TOTP_DIGITS = 6
export const TOTP_PERIOD_SECONDS = 30
const SECRET_BYTES = 20

/** A new random TOTP secret: 20 bytes, base32 (32 characters, no padding). */
export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32
}

function toSecret(secret: string | Uint8Array): Secret {
  if (typeof secret === 'string') return Secret.fromBase32(secret.replace(/\s+/g, '').toUpperCase())
  const copy = new Uint8Array(secret)
  return new Secret({ buffer: copy.buffer })
}

/** The `otpauth://totp/...` URL an authenticator app reads from a QR code. */
export function otpauthUrl(secret: string, account: string, issuer = 'Tessera'): string {
  return new TOTP({
    issuer,
    label: account,
    secret: toSecret(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString()
}

/** The time step (counter) containing `at`: floor(unixSeconds / 30). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS)
}

/** The code for one time step. `secret` is base32 text or raw bytes; `digits` defaults to 6. */
export function totpAt(secret: string | Uint8Array, step: number, digits = TOTP_DIGITS): string {
  return HOTP.generate({ secret: toSecret(secret), algorithm: TOTP_ALGORITHM, digits, counter: step })
}

/**
 * The time step within ±`window` steps of `now` whose code equals `code`, or null.
 * Surrounding spaces are ignored; anything but exactly 6 digits is refused. Callers prevent replay
 * by refusing a step <= the last step they accepted. The current step is tried first, then
 * the nearest neighbours (earlier before later).
 */
export function matchTotp(secret: string, code: string, now: Date, window = 1): number | null {
  const token = code.trim()
  if (!new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(token)) return null
  const key = toSecret(secret)
  const current = totpStep(now)
  const deltas = [0]
  for (let i = 1; i <= window; i++) deltas.push(-i, i)
  for (const delta of deltas) {
    const step = current + delta
    if (step < 0) continue
    const expected = HOTP.generate({
      secret: key,
      algorithm: TOTP_ALGORITHM,
      digits: TOTP_DIGITS,
      counter: step,
    })
    if (timingSafeEqualText(expected, token)) return step
  }
  return null
}

/** Lowercase letters and digits without look-alikes (no 0/o, 1/l/i): 31 symbols, ~4.95 bits each. */
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const RECOVERY_GROUP = 6
/** Two groups of 6 (`xxxxxx-xxxxxx`): 12 symbols, ~59 bits of entropy. */
const RECOVERY_PATTERN = new RegExp(
  `^[${RECOVERY_ALPHABET}]{${RECOVERY_GROUP}}-[${RECOVERY_ALPHABET}]{${RECOVERY_GROUP}}$`,
)

function randomGroup(): string {
  let out = ''
  for (let i = 0; i < RECOVERY_GROUP; i++) out += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return out
}

/** `count` distinct single-use recovery codes like `k7m2qx-9hfp3a`. Store only their hashes. */
export function generateRecoveryCodes(count = 10): string[] {
  const codes = new Set<string>()
  while (codes.size < count) codes.add(`${randomGroup()}-${randomGroup()}`)
  return [...codes]
}

/**
 * The canonical form of a typed recovery code: lowercase, spaces removed, the dash in the middle
 * (so `K7M2QX 9HFP3A`, `k7m2qx9hfp3a` and `k7m2qx-9hfp3a` all give `k7m2qx-9hfp3a`).
 * Input of the wrong length comes back lowercased without spaces or dashes; it matches nothing.
 */
export function normalizeRecoveryCode(input: string): string {
  const compact = input.toLowerCase().replace(/[\s-]+/g, '')
  if (compact.length !== RECOVERY_GROUP * 2) return compact
  return `${compact.slice(0, RECOVERY_GROUP)}-${compact.slice(RECOVERY_GROUP)}`
}

/** True when `input`, once normalized, has the shape of a recovery code (to tell it from a TOTP code). */
export function isRecoveryCodeFormat(input: string): boolean {
  return RECOVERY_PATTERN.test(normalizeRecoveryCode(input))
}
