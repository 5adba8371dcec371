// /api/auth/: registration, JWT login/refresh/logout, cookie sessions with CSRF, profile, password (change
// and reset), email verification; 2FA is in two-factor-routes.ts.
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import { changePassword, currentUser, register, updateProfile } from './account-service.js'
import {
  checkOrigin,
  clearSessionCookie,
  cookieNames,
  issueCsrfCookie,
  setSessionCookie,
} from './authentication.js'
import type { AccountsContext } from './context.js'
import { authenticate } from './credentials.js'
import { resendVerification, verifyEmail } from './email-verification.js'
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js'
import { issueTokenPair, revokeRefreshToken, rotateRefreshToken } from './refresh-tokens.js'
import {
  LoginBody,
  MailedTokenBody,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetConfirmBody,
  ProfileBody,
  RefreshBody,
  RegisterBody,
  TokenPair,
  UserSchema,
} from './schemas.js'
import { toUserOut } from './users.js'

const tags = ['auth']
const TWO_FACTOR_OFF_AFTER_RESET =
  'Password reset. Two-factor authentication was turned off: set it up again to protect your account.'
const Done = Envelope(Type.Null())

type AuthRouteDeps = { ctx: AccountsContext; guardAuth: (request: FastifyRequest) => Promise<void> }

export async function authRoutes(app: App, { ctx, guardAuth }: AuthRouteDeps) {
  const names = cookieNames(app.config)

  app.post(
    '/api/auth/register/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary: 'Create an account (role user or creator) and get a token pair',
        body: RegisterBody,
        response: { 201: Envelope(Type.Object({ user: UserSchema, tokens: TokenPair })) },
      },
    },
    async (request, reply) => {
      const { user, tokens } = await register(ctx, request.body, { userId: null, requestId: request.id })
      return reply.code(201).send(ok({ user: toUserOut(user), tokens }, 'Account created'))
    },
  )

  app.post(
    '/api/auth/login/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary: 'Log in with email or username and password (and otp when 2FA is on)',
        body: LoginBody,
        response: {
          200: Envelope(Type.Object({ access: Type.String(), refresh: Type.String(), user: UserSchema })),
        },
      },
    },
    async (request) => {
      const user = await authenticate(ctx, request.body)
      const tokens = await issueTokenPair(ctx, user)
      return ok({ ...tokens, user: toUserOut(user) }, 'Logged in')
    },
  )

  app.post(
    '/api/auth/refresh/',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair (rotation)',
        body: RefreshBody,
        response: { 200: Envelope(TokenPair) },
      },
    },
    async (request) => ok(await rotateRefreshToken(ctx, request.body.refresh), 'Token refreshed'),
  )

  app.post(
    '/api/auth/logout/',
    { schema: { tags, summary: 'Blacklist a refresh token', body: RefreshBody, response: { 200: Done } } },
    async (request) => {
      await revokeRefreshToken(ctx, request.body.refresh)
      return ok(null, 'Logged out')
    },
  )

  app.get(
    '/api/auth/csrf/',
    {
      schema: {
        tags,
        summary: 'Set the csrftoken cookie for an SPA',
        response: { 200: Envelope(Type.Object({ csrf_token: Type.String() })) },
      },
    },
    async (request, reply) => {
      const existing = request.cookies.csrftoken
      const token = existing && /^[\w-]{20,}$/.test(existing) ? existing : issueCsrfCookie(reply, names)
      return ok({ csrf_token: token })
    },
  )

  app.post(
    '/api/auth/session/login/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary: 'Log in with a cookie session',
        body: LoginBody,
        response: { 200: Envelope(Type.Object({ user: UserSchema })) },
      },
    },
    async (request, reply) => {
      checkOrigin(request, app.config.csrfTrustedOrigins)
      const user = await authenticate(ctx, request.body)
      // A new session id at every login: a session id planted before login is worth nothing after it.
      const previous = request.cookies[names.session]
      if (previous) await ctx.sessions.destroy(previous)
      const now = ctx.clock.now()
      const sessionId = await ctx.sessions.create(user.id, now, new Date(now.getTime() + ctx.sessionTtlMs))
      setSessionCookie(reply, names, sessionId, ctx.sessionTtlMs)
      issueCsrfCookie(reply, names)
      return ok({ user: toUserOut(user) }, 'Logged in')
    },
  )

  app.post(
    '/api/auth/session/logout/',
    { schema: { tags, summary: 'End the cookie session', response: { 200: Done } } },
    async (request, reply) => {
      const sessionId = request.cookies[names.session]
      if (sessionId) await ctx.sessions.destroy(sessionId)
      clearSessionCookie(reply, names)
      return ok(null, 'Logged out')
    },
  )

  for (const method of ['GET', 'PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/auth/profile/',
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        summary:
          method === 'GET'
            ? 'The current user'
            : 'Update the current user (email needs the current password)',
        ...(method === 'GET' ? {} : { body: ProfileBody }),
        response: { 200: Envelope(UserSchema) },
      },
      handler: async (request) => {
        const principal = requireUser(request)
        if (method === 'GET') return ok(toUserOut(await currentUser(ctx, principal)))
        const user = await updateProfile(ctx, principal, request.body as typeof ProfileBody.static)
        return ok(toUserOut(user), 'Profile updated')
      },
    })
  }

  app.post(
    '/api/auth/password/change/',
    {
      onRequest: authenticated,
      schema: { tags, security: callerSecurity, body: PasswordChangeBody, response: { 200: Done } },
    },
    async (request) => {
      await changePassword(ctx, requireUser(request), request.body)
      return ok(null, 'Password changed')
    },
  )

  app.post(
    '/api/auth/password/reset/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary:
          'Mail a password reset link (valid 1 hour); the answer never tells whether the address exists',
        body: PasswordResetBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await requestPasswordReset(ctx, request.body.email)
      return ok(null, 'If an account uses this address, a link to reset its password is on its way.')
    },
  )

  app.post(
    '/api/auth/password/reset/confirm/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary:
          'Set a new password with a reset token; ends every session and refresh token, and turns 2FA off',
        body: PasswordResetConfirmBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      const { twoFactorTurnedOff } = await confirmPasswordReset(ctx, request.body)
      return twoFactorTurnedOff ? ok(null, TWO_FACTOR_OFF_AFTER_RESET) : ok(null, 'Password reset')
    },
  )

  app.post(
    '/api/auth/email/verify/',
    {
      onRequest: guardAuth,
      schema: {
        tags,
        summary: 'Verify the email address with the mailed token',
        body: MailedTokenBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await verifyEmail(ctx, request.body.token)
      return ok(null, 'Email address verified')
    },
  )

  app.post(
    '/api/auth/email/resend/',
    {
      onRequest: [authenticated, guardAuth],
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Mail a new verification link to the current address',
        response: { 200: Done },
      },
    },
    async (request) =>
      (await resendVerification(ctx, requireUser(request)))
        ? ok(null, 'Verification email sent')
        : ok(null, 'Your email address is already verified.'),
  )
}
