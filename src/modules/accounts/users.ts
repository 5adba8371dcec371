// Queries on the users table, and the one place a user row becomes its public shape.
import { eq, or, sql } from 'drizzle-orm'
import { databaseError, isUniqueViolation } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import { validationFailed } from '../../platform/errors.js'
import type { UserOut } from './schemas.js'
import { users } from './tables.js'

export type UserRow = typeof users.$inferSelect

export function toUserOut(user: UserRow): UserOut {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
    avatar: user.avatar,
    role: user.role,
    is_active: user.isActive,
    is_staff: user.isStaff,
    two_factor_enabled: user.totpEnabled,
    date_joined: user.dateJoined.toISOString(),
  }
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id))
  return user
}

/**
 * A login name with `@` is an email address, one without a username (usernames never hold `@`), compared
 * case-insensitively: one name never reaches two accounts.
 */
export async function findUserByLogin(db: Database, login: string): Promise<UserRow | undefined> {
  if (login.includes('@')) return findUserByEmail(db, login)
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = ${login.toLowerCase()}`)
  return user
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
  return user
}

/** What a user's new password must not resemble (password-policy.ts). */
export function passwordAttributes(user: UserRow) {
  return {
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
  }
}

const UNIQUE_FIELDS: Record<string, string> = {
  users_username_lower_key: 'username',
  users_email_lower_key: 'email',
}

/** Turns a unique-index violation on username or email into the 400 the contract asks for. */
export function duplicateUserError(error: unknown): Error {
  const { constraint } = databaseError(error)
  const field = isUniqueViolation(error) && constraint ? UNIQUE_FIELDS[constraint] : undefined
  if (!field) return error as Error
  return validationFailed({ [field]: [`A user with that ${field} already exists.`] })
}

export async function usernameOrEmailTaken(db: Database, username: string | null, email: string | null) {
  const errors: Record<string, string[]> = {}
  const [row] = await db
    .select({
      username: sql<boolean>`bool_or(lower(${users.username}) = lower(${username ?? ''}))`,
      email: sql<boolean>`bool_or(lower(${users.email}) = lower(${email ?? ''}))`,
    })
    .from(users)
    .where(
      or(
        sql`lower(${users.username}) = lower(${username ?? ''})`,
        sql`lower(${users.email}) = lower(${email ?? ''})`,
      ),
    )
  if (username && row?.username) errors.username = ['A user with that username already exists.']
  if (email && row?.email) errors.email = ['A user with that email already exists.']
  return errors
}

/** Whether `changes` touch what the public catalog shows of a session's creator. */
export const changesPublicProfile = (changes: Partial<UserRow>) =>
  changes.username !== undefined ||
  changes.firstName !== undefined ||
  changes.lastName !== undefined ||
  changes.avatar !== undefined
