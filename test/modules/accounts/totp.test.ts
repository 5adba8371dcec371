import { describe, expect, it } from 'vitest'
import {
  generateRecoveryCodes,
  generateTotpSecret,
  isRecoveryCodeFormat,
  matchTotp,
  normalizeRecoveryCode,
  otpauthUrl,
  totpAt,
  totpStep,
} from '../../../src/modules/accounts/totp.js'

const RFC_SECRET = new TextEncoder().encode('12345678901234567890')

describe('totpAt', () => {
  // RFC 6238 Appendix B, SHA1 column.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 vector at T=%i', (seconds, expected) => {
    const step = totpStep(new Date(seconds * 1000))
    expect(step).toBe(Math.floor(seconds / 30))
    expect(totpAt(RFC_SECRET, step, 8)).toBe(expected)
  })

  it('accepts the same secret as base32 and defaults to 6 digits', () => {
    const base32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' // "12345678901234567890"
    expect(totpAt(base32, 1, 8)).toBe('94287082')
    expect(totpAt(base32, 1)).toBe('287082')
  })
})

describe('generateTotpSecret / otpauthUrl', () => {
  it('makes 20-byte base32 secrets, different each time', () => {
    const secret = generateTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(generateTotpSecret()).not.toBe(secret)
  })

  it('builds an otpauth URL with the Google Authenticator defaults', () => {
    const url = new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'alice@example.com'))
    expect(url.protocol).toBe('otpauth:')
    expect(url.host).toBe('totp')
    expect(decodeURIComponent(url.pathname)).toBe('/Tessera:alice@example.com')
    expect(url.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP')
    expect(url.searchParams.get('issuer')).toBe('Tessera')
    expect(url.searchParams.get('algorithm')).toBe('SHA1')
    expect(url.searchParams.get('digits')).toBe('6')
    expect(url.searchParams.get('period')).toBe('30')
    expect(new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'bob', 'Acme')).searchParams.get('issuer')).toBe('Acme')
  })
})

describe('matchTotp', () => {
  const secret = generateTotpSecret()
  const now = new Date('2025-03-01T12:00:10Z')
  const step = totpStep(now)

  it('returns the step of the current code', () => {
    expect(matchTotp(secret, totpAt(secret, step), now)).toBe(step)
  })

  it('accepts the previous and next step and reports which one matched', () => {
    expect(matchTotp(secret, totpAt(secret, step - 1), now)).toBe(step - 1)
    expect(matchTotp(secret, totpAt(secret, step + 1), now)).toBe(step + 1)
  })

  it('refuses codes two steps away with the default window', () => {
    const before = totpAt(secret, step - 2)
    const after = totpAt(secret, step + 2)
    // Guard against a (one in a million) collision with a code inside the window.
    const inside = [step - 1, step, step + 1].map((s) => totpAt(secret, s))
    if (!inside.includes(before)) expect(matchTotp(secret, before, now)).toBeNull()
    if (!inside.includes(after)) expect(matchTotp(secret, after, now)).toBeNull()
    expect(matchTotp(secret, before, now, 2)).toBe(step - 2)
    expect(matchTotp(secret, totpAt(secret, step - 1), now, 0)).toBeNull()
  })

  it('trims surrounding spaces', () => {
    expect(matchTotp(secret, `  ${totpAt(secret, step)}\n`, now)).toBe(step)
  })

  it('refuses garbage', () => {
    const code = totpAt(secret, step)
    for (const bad of [
      '',
      '      ',
      'abcdef',
      `${code}0`,
      code.slice(0, 5),
      `${code.slice(0, 3)} ${code.slice(3)}`,
    ]) {
      expect(matchTotp(secret, bad, now)).toBeNull()
    }
    expect(matchTotp(secret, '-12345', now)).toBeNull()
    expect(matchTotp(secret, '１２３４５６', now)).toBeNull()
  })
})

describe('recovery codes', () => {
  it('generates 10 distinct well-formed codes', () => {
    const codes = generateRecoveryCodes()
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const code of codes) {
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{6}-[a-hjkmnp-z2-9]{6}$/)
      expect(isRecoveryCodeFormat(code)).toBe(true)
    }
    expect(generateRecoveryCodes(3)).toHaveLength(3)
  })

  it('normalizes what users type to the canonical form', () => {
    for (const code of generateRecoveryCodes()) {
      expect(normalizeRecoveryCode(code)).toBe(code)
      expect(normalizeRecoveryCode(code.toUpperCase())).toBe(code)
      expect(normalizeRecoveryCode(code.replace('-', ''))).toBe(code)
      expect(normalizeRecoveryCode(` ${code.replace('-', ' ').toUpperCase()} `)).toBe(code)
    }
  })

  it('tells recovery codes from TOTP codes', () => {
    expect(isRecoveryCodeFormat('123456')).toBe(false)
    expect(isRecoveryCodeFormat('abcdef-ghjkm0')).toBe(false)
    expect(isRecoveryCodeFormat('ABCDEFGHJKMN')).toBe(true)
  })
})
