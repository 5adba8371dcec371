import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const start = new Date('2026-06-01T10:00:00.750Z')
const clock = new ManualClock(start)
const ctx = useTestApp({ deps: { clock } })

/** A JWT's claims, read as any holder of the token can read them. */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

describe('issued tokens', () => {
  it('carry iat, the issue time by the app clock, in access and refresh tokens', async () => {
    clock.set(start)
    const user = await makeUser(ctx.app, { verified: false })
    for (const token of [user.access, user.refresh]) {
      const claims = claimsOf(token)
      expect(claims.iat).toBe(seconds(start))
      expect(claims.exp).toBeGreaterThan(seconds(start))
    }

    clock.advance(90_000)
    const refreshed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh/',
      payload: { refresh: user.refresh },
    })
    expect(refreshed.statusCode).toBe(200)
    const pair = refreshed.json().data
    expect(claimsOf(pair.access).iat).toBe(seconds(clock.now()))
    expect(claimsOf(pair.refresh).iat).toBe(seconds(clock.now()))
  })
})
