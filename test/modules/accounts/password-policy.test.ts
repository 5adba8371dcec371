// Unit tests of the Django-style password policy (API.md, "Authentication", "Passwords"). Expected
// outcomes were cross-checked against Python's difflib and Django's validator logic.
import { describe, expect, it } from 'vitest'
import {
  commonPasswordCount,
  PASSWORD_MIN_LENGTH,
  passwordProblems,
  quickRatio,
} from '../../../src/modules/accounts/password-policy.js'

const TOO_SHORT = 'This password is too short. It must contain at least 8 characters.'
const NUMERIC = 'This password is entirely numeric.'
const COMMON = 'This password is too common.'
const similar = (attribute: string) => `The password is too similar to the ${attribute}.`

const john = {
  username: 'johnsmith',
  email: 'john.smith@example.com',
  first_name: 'John',
  last_name: 'Smith',
}

describe('quickRatio (difflib.SequenceMatcher.quick_ratio)', () => {
  it('is 2 * shared characters / total length', () => {
    expect(quickRatio('abcd', 'bcde')).toBe(0.75) // b, c, d shared: 6 / 8
    expect(quickRatio('aab', 'abb')).toBeCloseTo(2 / 3, 12) // one a, one b: 4 / 6
    expect(quickRatio('johnsmith1', 'johnsmith')).toBeCloseTo(18 / 19, 12)
    expect(quickRatio('abc', 'abc')).toBe(1)
    expect(quickRatio('abc', 'xyz')).toBe(0)
  })

  it('treats two empty strings as identical and one empty string as unrelated', () => {
    expect(quickRatio('', '')).toBe(1)
    expect(quickRatio('abc', '')).toBe(0)
  })

  it('compares code points, not UTF-16 units', () => {
    // U+1F600 and U+1F601 share their high surrogate; Python sees two different characters.
    expect(quickRatio('\u{1F600}', '\u{1F601}')).toBe(0)
  })
})

describe('passwordProblems', () => {
  it('accepts a strong password', () => {
    expect(passwordProblems('correct-Horse-battery-9', john)).toEqual([])
    expect(passwordProblems('correct-Horse-battery-9', {})).toEqual([])
  })

  it('rejects passwords shorter than 8 characters', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(8)
    expect(passwordProblems('short1', {})).toEqual([TOO_SHORT])
    expect(passwordProblems('k7#Qz!w', {})).toEqual([TOO_SHORT])
    expect(passwordProblems('k7#Qz!wP', {})).toEqual([])
  })

  it('counts length in characters (code points)', () => {
    // Four emoji are 8 UTF-16 units but 4 characters.
    expect(passwordProblems('\u{1F512}\u{1F511}\u{1F6AA}\u{1F3E0}', {})).toEqual([TOO_SHORT])
  })

  it('rejects entirely numeric passwords', () => {
    expect(passwordProblems('73920584617', {})).toEqual([NUMERIC])
    expect(passwordProblems('73920584617x', {})).toEqual([])
  })

  it('rejects common passwords, case-insensitively and ignoring surrounding whitespace', () => {
    expect(passwordProblems('password', {})).toEqual([COMMON])
    expect(passwordProblems('PassWord', {})).toEqual([COMMON])
    expect(passwordProblems(' sunshine ', {})).toEqual([COMMON])
    expect(passwordProblems('qwertyuiop', {})).toEqual([COMMON])
  })

  it('loads a common-password list of at least 10,000 entries', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000)
  })

  it('rejects passwords too similar to the username, case-insensitively', () => {
    expect(passwordProblems('johnsmith1', { username: 'johnsmith' })).toEqual([similar('username')])
    expect(passwordProblems('JohnSmith1', { username: 'JOHNSMITH' })).toEqual([similar('username')])
    // Compared against each part of the value, split on non-word characters.
    expect(passwordProblems('tessera-blue-kite', { username: 'tessera-blue-kite-fan' })).toEqual([
      similar('username'),
    ])
  })

  it("rejects passwords too similar to the email's local part", () => {
    expect(passwordProblems('Marguerite!', { email: 'marguerite@example.com' })).toEqual([
      similar('email address'),
    ])
    expect(passwordProblems('Marguerite!', { email: 'MARGUERITE@Example.com' })).toEqual([
      similar('email address'),
    ])
  })

  it('rejects passwords too similar to the first or last name', () => {
    expect(passwordProblems('Bartholomew#42', { first_name: 'Bartholomew' })).toEqual([similar('first name')])
    expect(passwordProblems('Vandermeer#42', { last_name: 'van der Vandermeer' })).toEqual([
      similar('last name'),
    ])
  })

  it('ignores missing, null and empty attributes', () => {
    const user = { username: null, email: '', first_name: undefined, last_name: null }
    expect(passwordProblems('johnsmith1', user)).toEqual([])
  })

  it('reports at most one similarity problem, for the first matching attribute', () => {
    const user = { username: 'marguerite', email: 'marguerite@example.com', first_name: 'Marguerite' }
    expect(passwordProblems('Marguerite!', user)).toEqual([similar('username')])
  })

  it('reports several problems at once, in Django validator order', () => {
    expect(passwordProblems('1234567', { username: 'user1234567' })).toEqual([
      similar('username'),
      TOO_SHORT,
      COMMON,
      NUMERIC,
    ])
    expect(passwordProblems('12345678901', {})).toEqual([COMMON, NUMERIC])
  })

  it('accepts a 128-character password as given', () => {
    const password = 'Tessera-9x!'.repeat(11).padEnd(128, 'q')
    expect(password).toHaveLength(128)
    expect(passwordProblems(password, john)).toEqual([])
  })

  it('never trims the password: surrounding spaces count towards the length', () => {
    expect(passwordProblems(' k7#Qz! ', {})).toEqual([])
    expect(passwordProblems('k7#Qz!', {})).toEqual([TOO_SHORT])
  })
})
