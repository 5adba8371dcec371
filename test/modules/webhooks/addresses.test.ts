// The addresses a webhook may not reach, and the URLs an endpoint may have: every private, loopback,
// link-local, unique-local, multicast, unspecified and shared (CGNAT) range of IPv4 and IPv6 is refused,
// IPv4-mapped IPv6 forms of them too, and public addresses pass.
import { describe, expect, it } from 'vitest'
import { nonPublicKind } from '../../../src/modules/webhooks/addresses.js'
import { resolveTarget } from '../../../src/modules/webhooks/send.js'
import { validWebhookUrl } from '../../../src/modules/webhooks/urls.js'
import type { FieldErrors } from '../../../src/platform/errors.js'

describe('nonPublicKind', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
  ])('IPv4 %s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind)
  })

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
  ])('IPv6 %s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind)
  })

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
  ])('IPv4-mapped %s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(nonPublicKind(address)).toBeNull()
  })

  it('refuses what is not an address', () => {
    expect(nonPublicKind('example.com')).toBe('invalid')
  })
})

describe('resolveTarget, at send time', () => {
  it('refuses a host name that resolves to a loopback address, naming it', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toThrow(
      /Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    )
  })

  it('refuses an IP literal in brackets without a lookup, and allows it with WEBHOOK_ALLOW_PRIVATE', async () => {
    await expect(resolveTarget('[::1]', false)).rejects.toThrow(/::1, a loopback address/)
    expect(await resolveTarget('[::1]', true)).toEqual({ address: '::1', family: 6 })
    expect(await resolveTarget('127.0.0.1', true)).toEqual({ address: '127.0.0.1', family: 4 })
  })

  it('answers a public IP literal as it is', async () => {
    expect(await resolveTarget('93.184.215.14', false)).toEqual({ address: '93.184.215.14', family: 4 })
  })
})

describe('validWebhookUrl', () => {
  const check = (url: string, allowPrivate = false) => {
    const errors: FieldErrors = {}
    const stored = validWebhookUrl(url, allowPrivate, errors)
    return { stored, errors: errors.url }
  }

  it('takes an https URL, normalized', () => {
    expect(check('HTTPS://Hooks.Example.com/tessera?x=1')).toEqual({
      stored: 'https://hooks.example.com/tessera?x=1',
      errors: undefined,
    })
  })

  it('refuses http, credentials and non-public IP literals unless private addresses are allowed', () => {
    expect(check('http://hooks.example.com/').errors).toEqual(['Use an https URL.'])
    expect(check('https://user:pw@hooks.example.com/').errors).toEqual([
      'Leave the user name and password out of the URL.',
    ])
    expect(check('https://169.254.169.254/latest').errors).toEqual([
      'Use a public address, not a link-local one.',
    ])
    expect(check('https://[::ffff:127.0.0.1]/').errors).toEqual(['Use a public address, not a loopback one.'])
    expect(check('http://127.0.0.1:8080/hook', true).errors).toBeUndefined()
    expect(check('ftp://127.0.0.1/', true).errors).toEqual(['Use an http or https URL.'])
  })

  it('refuses what is no URL', () => {
    expect(check('hooks.example.com').errors).toEqual(['Enter a valid URL.'])
  })
})
