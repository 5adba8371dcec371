// Accounts: users, refresh tokens (stored by hash, grouped in rotation families) and cookie sessions.
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

export const userRole = pgEnum('user_role', ['user', 'creator', 'admin'])

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    username: text().notNull(),
    email: text().notNull(),
    password: text().notNull(),
    firstName: text().notNull().default(''),
    lastName: text().notNull().default(''),
    phone: text().notNull().default(''),
    avatar: text().notNull().default(''),
    role: userRole().notNull().default('user'),
    isActive: boolean().notNull().default(true),
    isStaff: boolean().notNull().default(false),
    isSuperuser: boolean().notNull().default(false),
    emailVerified: boolean().notNull().default(false),
    // AES-256-GCM sealed with a key derived from SECRET_KEY; set at 2FA setup, live once enabled.
    totpSecret: text(),
    totpEnabled: boolean().notNull().default(false),
    // The last TOTP time step accepted: a code of that step or earlier is a replay.
    totpLastStep: bigint({ mode: 'number' }),
    // SHA-256 of each unused recovery code; a code is consumed by removing its hash.
    recoveryCodes: text().array().notNull().default(sql`'{}'::text[]`),
    dateJoined: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastLogin: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${table.username})`),
    uniqueIndex('users_email_lower_key').on(sql`lower(${table.email})`),
    // A login name with `@` is looked up among emails only: a username with `@` could never log in.
    check('users_username_no_at', sql`position('@' in ${table.username}) = 0`),
    index('users_date_joined_idx').on(table.dateJoined, table.id),
  ],
)

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid().notNull(),
    tokenHash: text().notNull().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    // Set when the token was exchanged for a new pair; presenting it again is a theft signal.
    rotatedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('refresh_tokens_family_idx').on(table.familyId),
    index('refresh_tokens_user_idx').on(table.userId),
    // The schedule's sweep of expired tokens.
    index('refresh_tokens_expires_idx').on(table.expiresAt),
  ],
)

export const authSessions = pgTable(
  'auth_sessions',
  {
    // SHA-256 of the cookie value: a leaked table does not hand out live sessions.
    idHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    index('auth_sessions_user_idx').on(table.userId),
    index('auth_sessions_expires_idx').on(table.expiresAt),
  ],
)

export const accountTokenPurpose = pgEnum('account_token_purpose', ['verify_email', 'password_reset'])

/** Single-use tokens mailed to a user (email verification, password reset), stored by hash only. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    // SHA-256 of the token: the table alone does not let anyone verify or reset.
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: accountTokenPurpose().notNull(),
    // The address the token was mailed to: a verification token dies when the address changes.
    email: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('account_tokens_user_idx').on(table.userId, table.purpose),
    index('account_tokens_expires_idx').on(table.expiresAt),
  ],
)
