import { describe, expect, it } from 'vitest'
import { parseRate } from '../../src/platform/rate.js'

describe('parseRate', () => {
  it.each([
    ['20/minute', 20, 60_000],
    ['300/min', 300, 60_000],
    ['300/m', 300, 60_000],
    ['5/s', 5, 1000],
    ['10/sec', 10, 1000],
    ['1/second', 1, 1000],
    ['100/hour', 100, 3_600_000],
    ['100/h', 100, 3_600_000],
    ['1000/day', 1000, 86_400_000],
    ['1000/d', 1000, 86_400_000],
    [' 3000/Minute ', 3000, 60_000],
    ['7 / hours', 7, 3_600_000],
  ])('reads %j', (text, limit, periodMs) => {
    expect(parseRate(text)).toEqual({ limit, periodMs })
  })

  it.each(['off', 'OFF', ' off '])('reads %j as off', (text) => {
    expect(parseRate(text)).toBeNull()
  })

  it.each([
    '',
    'on',
    '20',
    '20/',
    '/minute',
    '20/week',
    '20/year',
    '20/60s',
    '-5/minute',
    '1.5/minute',
    '0/minute',
    'twenty/minute',
    '20/minute/extra',
    '99999999999999999999/minute',
  ])('refuses %j with a clear message', (text) => {
    expect(() => parseRate(text)).toThrow(/^invalid rate .*(N\/minute|positive integer)/)
  })
})
