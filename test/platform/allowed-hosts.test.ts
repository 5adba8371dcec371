import { describe, expect, it } from 'vitest'
import { hostAllowed } from '../../src/platform/http/allowed-hosts.js'

describe('hostAllowed', () => {
  it('matches exact names, with or without a port', () => {
    expect(hostAllowed('localhost:8000', ['localhost'])).toBe(true)
    expect(hostAllowed('LOCALHOST', ['localhost'])).toBe(true)
    expect(hostAllowed('[::1]:8000', ['[::1]'])).toBe(true)
    expect(hostAllowed('evil.test', ['localhost'])).toBe(false)
    expect(hostAllowed(undefined, ['localhost'])).toBe(false)
  })

  it('matches a domain and its subdomains with a leading dot', () => {
    expect(hostAllowed('example.com', ['.example.com'])).toBe(true)
    expect(hostAllowed('api.example.com', ['.example.com'])).toBe(true)
    expect(hostAllowed('badexample.com', ['.example.com'])).toBe(false)
  })

  it('matches anything with *', () => {
    expect(hostAllowed('whatever.test', ['*'])).toBe(true)
  })
})
