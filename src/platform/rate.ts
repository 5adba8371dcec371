// Throttle rates in Django REST framework's notation: `20/minute`, `5/s`, `1000/day`, or `off`.

/** `limit` requests per `periodMs`; null means the throttle is off. */
export type Rate = { limit: number; periodMs: number } | null

const periods: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/**
 * Parses `N/period` where the period is any word starting with s, m, h or d (as DRF reads it:
 * `second`, `sec`, `s`, `minute`, `min`, `hour`, `day`...), or `off`. Throws on anything else.
 */
export function parseRate(text: string): Rate {
  const value = text.trim()
  if (value.toLowerCase() === 'off') return null
  const match = /^(\d+)\s*\/\s*([a-z]+)$/i.exec(value)
  const periodMs = match?.[2] ? periods[match[2].charAt(0).toLowerCase()] : undefined
  if (!match?.[1] || periodMs === undefined) {
    throw new Error(
      `invalid rate ${JSON.stringify(text)}: expected N/second, N/minute, N/hour, N/day (e.g. 20/minute) or off`,
    )
  }
  const limit = Number(match[1])
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(
      `invalid rate ${JSON.stringify(text)}: the number of requests must be a positive integer (use off to disable)`,
    )
  }
  return { limit, periodMs }
}
