import { describe, expect, it } from 'vitest'
import {
  decryptSecret,
  deriveKey,
  encryptSecret,
  randomToken,
  sha256Hex,
  timingSafeEqualText,
} from '../../src/platform/crypto.js'

const SECRET = 'test-secret-key-with-enough-length'

describe('deriveKey', () => {
  it('is stable for the same secret and purpose', () => {
    expect(deriveKey(SECRET, 'jwt').equals(deriveKey(SECRET, 'jwt'))).toBe(true)
    expect(deriveKey(SECRET, 'jwt')).toHaveLength(32)
    expect(deriveKey(SECRET, 'jwt', 64)).toHaveLength(64)
  })

  it('differs by purpose and by secret', () => {
    const jwt = deriveKey(SECRET, 'jwt')
    const totp = deriveKey(SECRET, 'totp-secret')
    expect(jwt.equals(totp)).toBe(false)
    expect(deriveKey(`${SECRET}x`, 'jwt').equals(jwt)).toBe(false)
  })
})

describe('encryptSecret / decryptSecret', () => {
  const key = deriveKey(SECRET, 'totp-secret')

  it('round-trips and uses a fresh IV each time', () => {
    const sealed = encryptSecret(key, 'JBSWY3DPEHPK3PXP')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/)
    expect(decryptSecret(key, sealed)).toBe('JBSWY3DPEHPK3PXP')
    expect(encryptSecret(key, 'JBSWY3DPEHPK3PXP')).not.toBe(sealed)
    expect(decryptSecret(key, encryptSecret(key, ''))).toBe('')
    expect(decryptSecret(key, encryptSecret(key, 'héllo ✓'))).toBe('héllo ✓')
  })

  it('throws on tampered ciphertext, tag or IV', () => {
    const sealed = encryptSecret(key, 'JBSWY3DPEHPK3PXP')
    const [version, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string]
    const flip = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url')
      bytes[0] = (bytes[0] ?? 0) ^ 1
      return bytes.toString('base64url')
    }
    expect(() => decryptSecret(key, [version, iv, tag, flip(ciphertext)].join('.'))).toThrow()
    expect(() => decryptSecret(key, [version, iv, flip(tag), ciphertext].join('.'))).toThrow()
    expect(() => decryptSecret(key, [version, flip(iv), tag, ciphertext].join('.'))).toThrow()
  })

  it('throws with a wrong key', () => {
    const sealed = encryptSecret(key, 'JBSWY3DPEHPK3PXP')
    expect(() => decryptSecret(deriveKey(SECRET, 'jwt'), sealed)).toThrow()
    expect(() => decryptSecret(deriveKey('other-secret', 'totp-secret'), sealed)).toThrow()
  })

  it('throws on malformed input and refuses keys of the wrong size', () => {
    expect(() => decryptSecret(key, 'garbage')).toThrow()
    expect(() => decryptSecret(key, 'v2.a.b.c')).toThrow()
    const sealed = encryptSecret(key, 'x')
    expect(() => decryptSecret(key, sealed.replace(/^v1\./, 'v1.!'))).toThrow()
    expect(() => encryptSecret(Buffer.alloc(16), 'x')).toThrow()
  })
})

describe('sha256Hex', () => {
  it('matches known digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('randomToken', () => {
  it('is base64url of the requested size and differs each time', () => {
    const a = randomToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const many = new Set(Array.from({ length: 100 }, () => randomToken()))
    expect(many.size).toBe(100)
  })
})

describe('timingSafeEqualText', () => {
  it('compares strings without throwing on length mismatch', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true)
    expect(timingSafeEqualText('', '')).toBe(true)
    expect(timingSafeEqualText('abc', 'abd')).toBe(false)
    expect(timingSafeEqualText('abc', 'abcd')).toBe(false)
    expect(timingSafeEqualText('é', 'ee')).toBe(false)
  })
})
