// One definition per kind of input value, used by every request schema: text PostgreSQL can store,
// bounded numbers, money, and date-times that name a real calendar instant with a real offset. The
// ajv formats below are what makes a malformed value a 400 naming its field instead of a database
// error; test/platform/http/inputs.test.ts checks that every request schema of the API uses them.
import { type StringOptions, Type } from '@sinclair/typebox'
import type { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'
import { validationFailed } from '../errors.js'

// A UTF-16 surrogate that is not part of a pair: it has no UTF-8 form.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether PostgreSQL's `text` can store the string: no NUL, no lone surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\0') && !LONE_SURROGATE.test(value)
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const MAX_OFFSET_MINUTES = 14 * 60

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0) + (month === 2 && isLeapYear(year) ? 1 : 0)
}

/**
 * The instant an ISO 8601 date-time with an offset names (`2027-03-01T09:00:00+01:00`), or null when
 * it is not one: no offset, an impossible calendar value (31 February, hour 24) or an offset beyond
 * ±14:00. JavaScript's Date would roll `2027-02-30` over into March instead.
 */
export function parseInstant(text: string): Date | null {
  const match = INSTANT.exec(text)
  if (!match) return null
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map(Number) as number[]
  if (!isCalendarDay(year ?? 0, month ?? 0, day ?? 0)) return null
  if ((hour ?? 24) > 23 || (minute ?? 60) > 59 || second > 59) return null
  if (match[9]) {
    const offsetMinutes = Number(match[10]) * 60 + Number(match[11])
    if (Number(match[11]) > 59 || offsetMinutes > MAX_OFFSET_MINUTES) return null
  }
  const instant = new Date(text)
  return Number.isNaN(instant.getTime()) ? null : instant
}

/** `[year, month, day]` of a real calendar date written `YYYY-MM-DD`, or null. */
export function parseDay(text: string): [number, number, number] | null {
  const match = DAY.exec(text)
  if (!match) return null
  const parts = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number]
  return isCalendarDay(...parts) ? parts : null
}

/** Registers the formats of this module on the app's validator (Fastify's `ajv.plugins`). */
export function inputFormats(ajv: Ajv): Ajv {
  ajv.addFormat('text', { type: 'string', validate: isStorableText })
  ajv.addFormat('instant', { type: 'string', validate: (text: string) => parseInstant(text) !== null })
  ajv.addFormat('day', { type: 'string', validate: (text: string) => parseDay(text) !== null })
  ajv.addFormat('day-or-instant', {
    type: 'string',
    validate: (text: string) => parseDay(text) !== null || parseInstant(text) !== null,
  })
  return ajv
}

/** What a client reads when a value of these formats is refused. */
export const FORMAT_MESSAGES: Record<string, string> = {
  text: 'Must not contain NUL characters or unpaired UTF-16 surrogates.',
  instant: 'Enter a valid date-time with a UTC offset (e.g. 2027-03-01T09:00:00+01:00).',
  day: 'Enter a valid date (YYYY-MM-DD).',
  'day-or-instant': 'Enter a date (YYYY-MM-DD) or a date-time with an offset.',
}

/** Free text. Every string input that is not an id, an address, a date or a choice is one of these. */
export const Text = (options: StringOptions = {}) => Type.String({ ...options, format: 'text' })

/** An instant: a date-time with an offset, a real calendar value. */
export const Instant = (options: StringOptions = {}) => Type.String({ ...options, format: 'instant' })

/** A calendar date, `YYYY-MM-DD`. */
export const Day = (options: StringOptions = {}) => Type.String({ ...options, format: 'day' })

/** A date filter: a whole day (`YYYY-MM-DD`) or an instant with an offset (platform/dates.ts). */
export const DayOrInstant = (options: StringOptions = {}) =>
  Type.String({ ...options, format: 'day-or-instant' })

/** A UUID. */
export const Id = (options: StringOptions = {}) => Type.String({ ...options, format: 'uuid' })

/** The params of a route on one row: `/…/:id/`. */
export const IdParams = Type.Object({ id: Id() })

/** An integer with the bounds every numeric input must have (a column's range, at most). */
export const Int = (options: { minimum: number; maximum: number; default?: number; description?: string }) =>
  Type.Integer(options)

/** A PostgreSQL `integer` column's range. */
export const INT4_MAX = 2_147_483_647

const PATTERN_MESSAGES = new Map<string, string>()

/** A pattern, registered with the words a 400 gives for a value that does not match it. */
export function patternSaying(pattern: string, message: string): string {
  PATTERN_MESSAGES.set(pattern, message)
  return pattern
}

/** The words for a value that fails `pattern`; never the regular expression itself. */
export function patternMessage(pattern: string): string | undefined {
  return PATTERN_MESSAGES.get(pattern)
}

/** An ISO 4217 currency code. */
export const CurrencyCode = () =>
  Text({ pattern: patternSaying('^[A-Z]{3}$', 'Enter a three-letter ISO 4217 currency code such as EUR.') })

export const MAX_MONEY = 99_999_999.99
const MONEY_PATTERN = patternSaying(
  '^\\d{1,8}(\\.\\d{1,2})?$',
  'Enter an amount from 0 to 99999999.99 with at most 2 decimal places.',
)

/** Money: a decimal string with at most 8 integer digits and 2 places, or a JSON number in that range. */
export const Money = (options: { description?: string } = {}) =>
  Type.Union(
    [
      Type.String({ pattern: MONEY_PATTERN, format: 'text' }),
      Type.Number({ minimum: 0, maximum: MAX_MONEY }),
    ],
    options,
  )

/** A Money value as the 2-place decimal string the database and every answer use. */
export function moneyText(value: string | number): string {
  return Number(value).toFixed(2)
}

/**
 * The fields holding a number that is not finite: `1e400` in a JSON body parses to Infinity, and the
 * validator's coercion of a query string like `-1e400` yields one without checking its bounds.
 */
export function nonFiniteFields(input: unknown): string[] {
  const found: string[] = []
  const stack: [unknown, string][] = [[input, '']]
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string]
    if (typeof value === 'number' && !Number.isFinite(value)) found.push(path || 'non_field_errors')
    else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push([item, `${path}[${index}]`])
    } else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) stack.push([item, path ? `${path}.${key}` : key])
  }
  return found
}

/** Refuses, after validation and before any handler, a request carrying a number that is not finite. */
export function registerFiniteNumbers(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    const fields = [request.params, request.query, request.body].flatMap(nonFiniteFields)
    if (fields.length > 0)
      throw validationFailed(Object.fromEntries(fields.map((field) => [field, ['Must be a finite number.']])))
  })
}
