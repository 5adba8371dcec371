// The input kinds of platform/http/inputs.ts, and the rule that every request schema of the API is
// made of them: each string a format or a fixed choice, each number bounded.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isStorableText, moneyText, parseDay, parseInstant } from '../../../src/platform/http/inputs.js'
import { dereferencer, operationsOf } from '../../fuzz/fuzzer.js'
import type { Schema } from '../../fuzz/values.js'
import { useTestApp } from '../../helpers/app.js'

describe('parseInstant', () => {
  it.each([
    ['2027-03-01T09:00:00Z', '2027-03-01T09:00:00.000Z'],
    ['2027-03-01T09:00Z', '2027-03-01T09:00:00.000Z'],
    ['2027-03-01T09:00:00.123456+01:00', '2027-03-01T08:00:00.123Z'],
    ['2028-02-29T23:59:59-14:00', '2028-03-01T13:59:59.000Z'],
    ['2000-02-29T00:00:00+14:00', '2000-02-28T10:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso)
  })

  it.each([
    '2027-02-30T10:00:00Z',
    '2027-02-29T10:00:00Z',
    '1900-02-29T10:00:00Z',
    '2027-13-01T10:00:00Z',
    '2027-00-10T10:00:00Z',
    '2027-04-31T10:00:00Z',
    '2027-01-01T24:00:00Z',
    '2027-01-01T10:60:00Z',
    '2027-01-01T10:00:60Z',
    '2027-01-01T10:00:00+14:01',
    '2027-01-01T10:00:00+15:00',
    '2027-01-01T10:00:00+01:60',
    '2027-01-01T10:00:00',
    '2027-01-01 10:00:00Z',
    '0000-01-01T10:00:00Z',
    '2027-1-01T10:00:00Z',
    '',
  ])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeNull()
  })

  it('agrees with the calendar on every day of a 400-year cycle’s edges (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const text = date.toISOString()
          expect(parseInstant(text)?.getTime()).toBe(date.getTime())
          expect(parseDay(text.slice(0, 10))).not.toBeNull()
        },
      ),
    )
  })
})

describe('parseDay', () => {
  it('reads real dates and refuses impossible ones', () => {
    expect(parseDay('2024-02-29')).toEqual([2024, 2, 29])
    for (const text of [
      '2023-02-29',
      '2027-02-30',
      '2027-13-01',
      '2027-06-31',
      '27-06-01',
      '2027-06-01T00:00Z',
    ])
      expect(parseDay(text), text).toBeNull()
  })
})

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs, marks and control characters', () => {
    for (const text of ['\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\udc00\ud800', 'end\ud83d'])
      expect(isStorableText(text), JSON.stringify(text)).toBe(false)
    for (const text of ['', '😀', 'e\u0301', '\u202e', '\u0007\t\r\n', 'ok'])
      expect(isStorableText(text), text).toBe(true)
  })
})

it('moneyText writes two places', () => {
  expect([moneyText('5'), moneyText(12.5), moneyText('99999999.99')]).toEqual([
    '5.00',
    '12.50',
    '99999999.99',
  ])
})

describe('every request schema of the API', () => {
  const ctx = useTestApp()

  it('is made of the input kinds: strings with a format or a fixed choice, numbers with both bounds', () => {
    const document = ctx.app.swagger() as never
    const deref = dereferencer(document)
    const problems: string[] = []
    const walk = (schema: Schema, where: string) => {
      const s = deref(schema)
      if (s.const !== undefined || s.enum) return
      for (const branch of s.anyOf ?? s.oneOf ?? []) walk(branch, where)
      if (s.anyOf || s.oneOf) return
      const types = Array.isArray(s.type) ? s.type : [s.type]
      if (types.includes('string') && !s.format) problems.push(`${where}: a string without a format`)
      if (
        (types.includes('integer') || types.includes('number')) &&
        (s.minimum === undefined || s.maximum === undefined)
      )
        problems.push(`${where}: a number without both bounds`)
      for (const [name, inner] of Object.entries(s.properties ?? {})) walk(inner, `${where}.${name}`)
      if (s.items) walk(s.items, `${where}[]`)
    }
    for (const operation of operationsOf(document)) {
      const name = `${operation.method} ${operation.path}`
      for (const parameter of operation.parameters)
        walk(parameter.schema, `${name} ${parameter.in} ${parameter.name}`)
      if (operation.body) walk(operation.body, `${name} body`)
    }
    expect(problems).toEqual([])
  })
})
