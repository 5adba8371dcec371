// Values for the fuzzer, from the JSON schemas of the OpenAPI document: valid ones (so requests reach
// the services and the database) and malformed ones (what an attacker or a careless client sends).
import fc from 'fast-check'

export type Schema = {
  type?: string | string[]
  format?: string
  pattern?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  maxItems?: number
  $ref?: string
}

/** A JSON number written as is: `1e400` parses to Infinity, which no JavaScript value serializes to. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson pieces. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}:${toJsonText(inner)}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/** Ids the fuzzer's world knows, by the kind of thing they name. */
export type IdPools = Record<string, string[]>

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString())

/** Strings a text field must refuse or survive: control characters, NUL, lone surrogates, marks. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83d',
  '\u202eevil',
  'e\u0301\u0301\u0301',
  '\u0007\u001b[31m',
  '\r\n\t',
  '😀',
  "'; drop table users; --",
  '%00',
  '../../etc/passwd',
  '=cmd|/c calc!A1',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '99999999999999999999999',
  '-0',
  '2027-02-30',
  '2027-13-01',
  '2027-02-30T10:00:00Z',
  '2027-01-01T24:00:00Z',
  '2027-01-01T10:60:00Z',
  '2027-01-01T10:00:00+15:00',
  '2027-01-01T10:00:00-99:99',
  '2027-01-01T10:00:00',
  '0000-00-00T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '275760-09-13T00:00:00Z',
  '2027-02-29T10:00:00Z',
  'true',
  'null',
  '[]',
  '{}',
  '__proto__',
]

const RAW_NUMBERS = ['1e400', '-1e400', '1E-400', '1e308', '-0', '123456789012345678901234567890', '0.1e1']
/** Nesting far deeper than any schema: arrays, and objects under a `__proto__` key. */
const DEEP_VALUES = [
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  `${'{"__proto__":'.repeat(50)}{"polluted":true}${'}'.repeat(50)}`,
]

/** A value of the wrong shape or out of range, for a field of `schema`. */
export function malformed(schema: Schema, deref: (schema: Schema) => Schema): fc.Arbitrary<unknown> {
  const s = deref(schema)
  const bounds: unknown[] = []
  if (s.minimum !== undefined) bounds.push(s.minimum - 1, s.minimum - 0.5)
  if (s.maximum !== undefined) bounds.push(s.maximum + 1, s.maximum + 0.01)
  if (s.maxLength !== undefined) bounds.push('x'.repeat(s.maxLength + 1))
  if (s.maxItems !== undefined) bounds.push(Array.from({ length: s.maxItems + 1 }, () => ({})))
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...RAW_NUMBERS, ...DEEP_VALUES).map((text) => new RawJson(text)),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom<unknown>(
        null,
        true,
        false,
        0,
        -1,
        1.5,
        2 ** 31,
        2 ** 53 + 2,
        -(2 ** 63),
        [],
        {},
        [null],
        { nested: { deeper: [1, 'two'] } },
        'x'.repeat(100_000),
        ...(bounds.length > 0 ? bounds : [0]),
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  )
}

export type ValueContext = { pools: IdPools; field: string }

/** A valid value of `schema` (as valid as the schema alone can say). */
export function valid(
  schema: Schema,
  deref: (schema: Schema) => Schema,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const s = deref(schema)
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...s.enum)
  const branches = s.anyOf ?? s.oneOf
  if (branches) return fc.oneof(...branches.map((branch) => valid(branch, deref, context)))
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['string']
  return fc.oneof(...type.map((one) => validOfType(one, s, deref, context)))
}

function validOfType(
  type: string,
  s: Schema,
  deref: (schema: Schema) => Schema,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 })
    case 'number':
      return fc.double({
        min: s.minimum ?? -1000,
        max: s.maximum ?? 100_000,
        noNaN: true,
        noDefaultInfinity: true,
      })
    case 'array':
      return fc.array(s.items ? valid(s.items, deref, context) : fc.string(), {
        maxLength: Math.min(s.maxItems ?? 3, 3),
      })
    case 'object': {
      const properties = s.properties ?? {}
      const shape = Object.fromEntries(
        Object.entries(properties).map(([name, inner]) => [
          name,
          valid(inner, deref, { ...context, field: name }),
        ]),
      )
      return fc.record(shape, { requiredKeys: (s.required ?? []).filter((name) => name in properties) })
    }
    default:
      return validString(s, context)
  }
}

function validString(s: Schema, { pools, field }: ValueContext): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 40)
  const min = Math.min(s.minLength ?? 0, max)
  switch (s.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...idsFor(pools, field)), fc.uuid({ version: 4 }))
    case 'email':
      return fc.oneof(
        fc.constantFrom(...(pools.email ?? ['someone@example.com'])),
        fc.stringMatching(/^[a-z]{1,10}@example\.com$/),
      )
    case 'date-time':
      return isoDate
    case 'date':
      return isoDate.map((text) => text.slice(0, 10))
    case 'uri':
      return fc.constantFrom('https://example.com/image.png', 'https://cdn.example.org/a/b.jpg')
  }
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern))
  // Free text: plain, any code unit (NUL and lone surrogates included), or a known troublemaker.
  const nasty = NASTY_STRINGS.filter((text) => text.length >= min && text.length <= (s.maxLength ?? 40))
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ unit: 'binary', minLength: min, maxLength: max }),
    ...(nasty.length > 0 ? [fc.constantFrom(...nasty)] : []),
  )
}

/** Ids that fit a field named `field` (`session`, `staff`, `customer`, `user_id`, ...). */
function idsFor(pools: IdPools, field: string): string[] {
  const kind = FIELD_KINDS[field] ?? field
  const found = pools[kind]
  return found && found.length > 0 ? found : Object.values(pools).flat()
}

const FIELD_KINDS: Record<string, string> = {
  session: 'sessions',
  staff: 'users',
  customer: 'users',
  user_id: 'users',
  creator: 'users',
  actor: 'users',
  business: 'businesses',
  entity_id: 'any',
  invitation_id: 'invitations',
}
