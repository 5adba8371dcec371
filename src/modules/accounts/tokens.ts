// JWT access and refresh tokens: HS256 only, with iss/aud/typ checked, verified without touching the
// database. Expiry is checked against the injected clock so tests can move time.
import { randomUUID } from 'node:crypto'
import { createSigner, createVerifier, TokenError } from 'fast-jwt'
import type { Clock } from '../../platform/clock.js'
import { deriveKey } from '../../platform/crypto.js'
import { notAuthenticated } from '../../platform/errors.js'

const ISSUER = 'tessera'
const AUDIENCE = 'tessera-api'

// An access token names its user and nothing they may do: permissions come from the current row
// (user-states.ts), so a token issued before a demotion carries no stale role.
export type AccessClaims = {
  sub: string
  typ: 'access'
  iat: number
  exp: number
  jti: string
}
export type RefreshClaims = {
  sub: string
  fam: string
  typ: 'refresh'
  iat: number
  exp: number
  jti: string
}

export const tokenInvalid = () => notAuthenticated('Token is invalid.', 'token_invalid')
export const tokenExpired = () => notAuthenticated('Token has expired.', 'token_expired')

export function createTokenService(
  secretKey: string,
  clock: Clock,
  ttl: { accessMs: number; refreshMs: number },
) {
  const key = deriveKey(secretKey, 'jwt-hs256').toString('base64')
  // The claims bring their own `iat` (the injected clock's second); the signer keeps it as given.
  const sign = createSigner({ key, algorithm: 'HS256', iss: ISSUER, aud: AUDIENCE })
  const decode = createVerifier({
    key,
    algorithms: ['HS256'],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    ignoreExpiration: true,
    ignoreNotBefore: true,
    cache: 10_000,
  })
  const seconds = () => Math.floor(clock.now().getTime() / 1000)

  function verify<T extends { typ: string; exp: number }>(token: string, type: T['typ']): T {
    let claims: T
    try {
      claims = decode(token) as T
    } catch (error) {
      if (error instanceof TokenError) throw tokenInvalid()
      throw error
    }
    if (claims.typ !== type || typeof claims.exp !== 'number') throw tokenInvalid()
    if (claims.exp <= seconds()) throw type === 'access' ? tokenExpired() : tokenInvalid()
    return claims
  }

  return {
    issueAccess(userId: string): string {
      const iat = seconds()
      const claims: AccessClaims = {
        sub: userId,
        typ: 'access',
        iat,
        exp: iat + Math.floor(ttl.accessMs / 1000),
        jti: randomUUID(),
      }
      return sign(claims)
    },
    /** A new refresh token of `familyId`; the caller stores its hash. */
    issueRefresh(userId: string, familyId: string): { token: string; claims: RefreshClaims } {
      const iat = seconds()
      const claims: RefreshClaims = {
        sub: userId,
        fam: familyId,
        typ: 'refresh',
        iat,
        exp: iat + Math.floor(ttl.refreshMs / 1000),
        jti: randomUUID(),
      }
      return { token: sign(claims), claims }
    },
    verifyAccess: (token: string) => verify<AccessClaims>(token, 'access'),
    verifyRefresh: (token: string) => verify<RefreshClaims>(token, 'refresh'),
  }
}

export type TokenService = ReturnType<typeof createTokenService>
