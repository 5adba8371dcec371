// Password validation as Django's default AUTH_PASSWORD_VALIDATORS do it (API.md, "Authentication",
// "Passwords"): similar to a user attribute, shorter than 8 characters, too common, entirely numeric.
// The password itself is never trimmed or truncated here; only the common-list lookup compares a
// lowercased, trimmed copy, like Django's CommonPasswordValidator.
//
// Lengths are counted in Unicode code points (Python's len()), not UTF-16 code units.
import { readFileSync } from 'node:fs'

export type UserAttributes = {
  username?: string | null
  email?: string | null
  first_name?: string | null
  last_name?: string | null
}

export const PASSWORD_MIN_LENGTH = 8
/** Django's UserAttributeSimilarityValidator default. */
export const PASSWORD_MAX_SIMILARITY = 0.7

// Django's DEFAULT_USER_ATTRIBUTES order, with the models' verbose names used in the message.
const SIMILARITY_ATTRIBUTES = [
  ['username', 'username'],
  ['first_name', 'first name'],
  ['last_name', 'last name'],
  ['email', 'email address'],
] as const satisfies readonly (readonly [keyof UserAttributes, string])[]

// Python's `\W` on str is Unicode-aware (anything but letters, numbers and `_`); JS `\W` is ASCII-only.
const NON_WORD = /[^\p{L}\p{N}_]+/u
// Python's str.isdigit() for practical purposes: one or more decimal digits of any script.
const ENTIRELY_NUMERIC = /^\p{Nd}+$/u

// Relative to this file in src/modules/accounts and in the compiled dist/modules/accounts alike.
const COMMON_PASSWORDS_URL = new URL('../../../assets/common-passwords.txt', import.meta.url)
let commonPasswords: Set<string> | undefined

function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const text = readFileSync(COMMON_PASSWORDS_URL, 'utf8')
    const entries = new Set<string>()
    for (const line of text.split('\n')) {
      const entry = line.trim()
      if (entry) entries.add(entry)
    }
    commonPasswords = entries
  }
  return commonPasswords
}

/** Number of distinct entries in the common-password list (loads it if needed). */
export function commonPasswordCount(): number {
  return loadCommonPasswords().size
}

function codePoints(value: string): string[] {
  return Array.from(value)
}

/**
 * Python's difflib.SequenceMatcher(a, b).quick_ratio(): an upper bound on ratio(), i.e.
 * 2 * |multiset intersection of the characters| / (len(a) + len(b)), and 1 when both are empty.
 */
export function quickRatio(a: string, b: string): number {
  const aChars = codePoints(a)
  const bChars = codePoints(b)
  const available = new Map<string, number>()
  for (const char of bChars) available.set(char, (available.get(char) ?? 0) + 1)
  let matches = 0
  for (const char of aChars) {
    const left = available.get(char) ?? 0
    if (left > 0) {
      available.set(char, left - 1)
      matches += 1
    }
  }
  const length = aChars.length + bChars.length
  return length ? (2 * matches) / length : 1
}

// Django's exceeds_maximum_length_ratio(): a value at most a tenth as long as the password (and
// shorter than max_similarity / 2 of it) can never reach max_similarity, so it is skipped unmatched.
function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const passwordLength = codePoints(password).length
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength
  const valueLength = codePoints(value).length
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity
}

// UserAttributeSimilarityValidator: like Django, it stops at the first attribute that matches, so it
// contributes at most one message.
function similarityProblem(password: string, user: UserAttributes): string | undefined {
  const lowered = password.toLowerCase()
  for (const [attribute, verboseName] of SIMILARITY_ATTRIBUTES) {
    const value = user[attribute]
    if (!value || typeof value !== 'string') continue
    const valueLower = value.toLowerCase()
    const parts = [...valueLower.split(NON_WORD), valueLower]
    for (const part of parts) {
      if (exceedsMaximumLengthRatio(lowered, PASSWORD_MAX_SIMILARITY, part)) continue
      if (quickRatio(lowered, part) >= PASSWORD_MAX_SIMILARITY) {
        return `The password is too similar to the ${verboseName}.`
      }
    }
  }
  return undefined
}

/**
 * Every failing rule's message, in the order of Django's default AUTH_PASSWORD_VALIDATORS
 * (similarity, minimum length, common, numeric); an empty array means the password is acceptable.
 */
export function passwordProblems(password: string, user: UserAttributes): string[] {
  const problems: string[] = []
  const similar = similarityProblem(password, user)
  if (similar) problems.push(similar)
  if (codePoints(password).length < PASSWORD_MIN_LENGTH) {
    problems.push(`This password is too short. It must contain at least ${PASSWORD_MIN_LENGTH} characters.`)
  }
  if (loadCommonPasswords().has(password.toLowerCase().trim())) {
    problems.push('This password is too common.')
  }
  if (ENTIRELY_NUMERIC.test(password)) problems.push('This password is entirely numeric.')
  return problems
}
