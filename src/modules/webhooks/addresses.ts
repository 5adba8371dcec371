// Which addresses a webhook may not reach: anything that is not a public unicast address, so that an
// endpoint's URL cannot make the server call itself, its network's private services or a cloud's
// metadata address (169.254.169.254). node:net's BlockList matches an IPv4-mapped IPv6 address
// (::ffff:10.0.0.1) against the IPv4 ranges too.
import { BlockList, isIP } from 'node:net'

type Range = [address: string, prefix: number]

const RANGES: Record<string, { v4?: Range[]; v6?: Range[] }> = {
  unspecified: { v4: [['0.0.0.0', 8]], v6: [['::', 128]] },
  loopback: { v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  private: {
    v4: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  },
  'shared (CGNAT)': { v4: [['100.64.0.0', 10]] },
  'link-local': { v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  'unique-local': { v6: [['fc00::', 7]] },
  // Deprecated site-local IPv6 addresses still route inside some networks.
  'site-local': { v6: [['fec0::', 10]] },
  multicast: { v4: [['224.0.0.0', 4]], v6: [['ff00::', 8]] },
  reserved: {
    v4: [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4],
    ],
    v6: [
      ['100::', 64],
      ['2001:db8::', 32],
    ],
  },
}

const LISTS = Object.entries(RANGES).map(([kind, { v4 = [], v6 = [] }]) => {
  const list = new BlockList()
  for (const [address, prefix] of v4) list.addSubnet(address, prefix, 'ipv4')
  for (const [address, prefix] of v6) list.addSubnet(address, prefix, 'ipv6')
  return { kind, list }
})

/**
 * The kind of a non-public address (`loopback`, `private`, ...), or null for a public one. What is not
 * an IP address at all counts as `invalid`: it is refused too.
 */
export function nonPublicKind(address: string): string | null {
  // A link-local IPv6 address may carry its interface (fe80::1%eth0).
  const bare = address.replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 0) return 'invalid'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  return LISTS.find(({ list }) => list.check(bare, type))?.kind ?? null
}

/** A URL's host name without the brackets of an IPv6 address (`[::1]` -> `::1`). */
export const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1')
