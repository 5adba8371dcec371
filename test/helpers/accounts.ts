// Factories for accounts: unique users registered (and verified) through the API, logins, mailed tokens.
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { and, desc, eq, sql } from 'drizzle-orm'
import PostalMime from 'postal-mime'
import type { App } from '../../src/app.js'
import { issueToken } from '../../src/modules/accounts/email-tokens.js'
import { users } from '../../src/modules/accounts/tables.js'
import { totpAt, totpStep } from '../../src/modules/accounts/totp.js'
import { findUserById } from '../../src/modules/accounts/users.js'
import { openMailToken } from '../../src/modules/mail/messages.js'
import type { MailTransport } from '../../src/modules/mail/transport.js'
import { messageIdOf } from '../../src/modules/outbox/jobs.js'
import { outbox } from '../../src/modules/outbox/tables.js'

export const STRONG_PASSWORD = 'correct-Horse-battery-9'

export type TestUser = {
  id: string
  username: string
  email: string
  password: string
  access: string
  refresh: string
  /** `{ authorization: 'Bearer …' }` for inject. */
  auth: { authorization: string }
}

let counter = 0
export function uniqueName(prefix = 'user'): string {
  counter += 1
  return `${prefix}${counter}_${randomBytes(3).toString('hex')}`
}

export async function makeUser(
  app: App,
  overrides: {
    role?: 'user' | 'creator'
    password?: string
    username?: string
    email?: string
    /** Verify the address through the verify endpoint (default true). */
    verified?: boolean
  } = {},
): Promise<TestUser> {
  const username = overrides.username ?? uniqueName()
  const email = overrides.email ?? `${username}@example.com`
  const password = overrides.password ?? STRONG_PASSWORD
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register/',
    payload: { username, email, password, role: overrides.role ?? 'user' },
  })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  const { user, tokens } = response.json().data
  if (overrides.verified ?? true) await verifyEmail(app, user.id)
  return {
    id: user.id,
    username,
    email,
    password,
    ...tokens,
    auth: { authorization: `Bearer ${tokens.access}` },
  }
}

/** Stands for an SMTP server that is down: every email stays unsent in the outbox, with its sealed token. */
export const smtpDown: MailTransport = {
  async send() {
    throw new Error('SMTP server down (test transport)')
  },
  close() {},
}

/**
 * The token of the newest `template` email whose params hold `key` = `value`, as its recipient reads it:
 * opened from the outbox row while the email is unsent, else from the link in the copy the file
 * transport wrote (the job strips the row's token only after the send). Either way it is the token
 * the email carries, whether or not the app's own jobs got to it first.
 */
async function tokenOfEmail(app: App, template: string, key: string, value: string): Promise<string> {
  const [row] = await app.deps.database.db
    .select({ id: outbox.id, params: outbox.params })
    .from(outbox)
    .where(and(eq(outbox.template, template), sql`${outbox.params}->>${key} = ${value}`))
    .orderBy(desc(outbox.createdAt))
    .limit(1)
  if (!row) throw new Error(`no ${template} email with ${key} ${value}`)
  const sealed = (row.params as { token?: string }).token
  if (sealed) return openMailToken(app.config.secretKey, sealed)
  return tokenInDeliveredCopy(app, row.id, `the ${template} email with ${key} ${value}`)
}

/** The token in the link of the .eml the file transport wrote for an outbox row. */
async function tokenInDeliveredCopy(app: App, outboxId: string, what: string): Promise<string> {
  if (app.config.email.host) throw new Error(`${what} went out over SMTP and no longer holds its token`)
  const directory = join(app.config.dataDir, 'mail')
  const messageId = messageIdOf(outboxId, app.config.email.from)
  for (const name of await readdir(directory)) {
    if (!name.endsWith(`-${outboxId.slice(0, 8)}.eml`)) continue
    const email = await PostalMime.parse(await readFile(join(directory, name)))
    if (email.messageId !== messageId) continue
    const token = /[?&]token=([^\s&]+)/.exec(email.text ?? '')?.[1]
    if (!token) throw new Error(`${what} carries no token link`)
    return decodeURIComponent(token)
  }
  throw new Error(`${what} is marked sent but its copy is not under ${directory}`)
}

/** The token carried by the newest `template` email to the user, opened as the recipient would read it. */
export function mailedToken(
  app: App,
  userId: string,
  template: 'welcome' | 'verify_email' | 'password_reset',
): Promise<string> {
  return tokenOfEmail(app, template, 'userId', userId)
}

/** The token of an invitation's email, as the invited address reads it. */
export function invitationToken(app: App, invitationId: string): Promise<string> {
  return tokenOfEmail(app, 'invitation', 'invitationId', invitationId)
}

/**
 * Verifies a new user's address through the verify endpoint, with a token issued by the same service
 * that mails them. Not the welcome email's own token: where the app runs jobs itself, that email may
 * already be sent, and its row no longer holds the token (test/modules/accounts covers the mailed one).
 */
async function verifyEmail(app: App, userId: string): Promise<void> {
  const { db } = app.deps.database
  const user = await findUserById(db, userId)
  if (!user) throw new Error(`no user ${userId}`)
  const token = await db.transaction((tx) => issueToken(tx, user, 'verify_email', app.deps.clock.now()))
  const response = await app.inject({ method: 'POST', url: '/api/auth/email/verify/', payload: { token } })
  if (response.statusCode !== 200) throw new Error(`verify failed: ${response.statusCode} ${response.body}`)
}

/** A platform admin (role admin, staff, superuser), logged in. */
export async function makeAdmin(app: App): Promise<TestUser> {
  const user = await makeUser(app)
  await app.deps.database.db
    .update(users)
    .set({ role: 'admin', isStaff: true, isSuperuser: true })
    .where(eq(users.id, user.id))
  return login(app, user)
}

export async function login(
  app: App,
  user: Pick<TestUser, 'username' | 'password'> & Partial<TestUser>,
): Promise<TestUser> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login/',
    payload: { username: user.username, password: user.password },
  })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const { access, refresh, user: out } = response.json().data
  return {
    id: out.id,
    username: out.username,
    email: out.email,
    password: user.password,
    access,
    refresh,
    auth: { authorization: `Bearer ${access}` },
  }
}

/** Changes the user's address through the profile (with the password), as they would; answers it. */
export async function changeEmail(app: App, user: TestUser): Promise<string> {
  const email = `${uniqueName('moved')}@example.com`
  const response = await app.inject({
    method: 'PATCH',
    url: '/api/auth/profile/',
    headers: user.auth,
    payload: { email, password: user.password },
  })
  if (response.statusCode !== 200)
    throw new Error(`email change failed: ${response.statusCode} ${response.body}`)
  return email
}

/**
 * Turns 2FA on through setup and enable (with the password and the code of `now`'s step), as the user
 * would; answers the secret and the recovery codes.
 */
export async function enableTwoFactor(
  app: App,
  user: TestUser,
  now: Date,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await app.inject({ method: 'POST', url: '/api/auth/2fa/setup/', headers: user.auth })
  if (setup.statusCode !== 200) throw new Error(`2FA setup failed: ${setup.statusCode} ${setup.body}`)
  const { secret } = setup.json().data
  const enable = await app.inject({
    method: 'POST',
    url: '/api/auth/2fa/enable/',
    headers: user.auth,
    payload: { password: user.password, code: totpAt(secret, totpStep(now)) },
  })
  if (enable.statusCode !== 200) throw new Error(`2FA enable failed: ${enable.statusCode} ${enable.body}`)
  return { secret, recoveryCodes: enable.json().data.recovery_codes }
}

/** A six-digit code that matches none of the steps the server accepts at `now` (its step ±1). */
export function wrongTotpCode(secret: string, now: Date): string {
  const step = totpStep(now)
  const valid = new Set([step - 1, step, step + 1].map((s) => totpAt(secret, s)))
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0')
    if (!valid.has(candidate)) return candidate
  }
}
