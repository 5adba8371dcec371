// `npm run createsuperuser`: a platform admin (role admin, staff, superuser), validated like a registration.

import type { Database } from '../../platform/db/index.js'
import { validationFailed } from '../../platform/errors.js'
import type { PasswordHasher } from './hasher.js'
import { passwordProblems } from './password-policy.js'
import { users } from './tables.js'
import { duplicateUserError, type UserRow, usernameOrEmailTaken } from './users.js'

export type SuperuserInput = {
  username: string
  email: string
  password: string
  /** Accept a password the policy refuses (too short, too common, ...). */
  force?: boolean
}

// The same rules as the registration body's schema (schemas.ts) and its `email` format (ajv-formats).
const USERNAME = /^[\w.+-]+$/
const USERNAME_MAX = 150
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i
const EMAIL_MAX = 254
const PASSWORD_MAX = 128

/** Every problem with the input, by field, before the database is asked; an empty object means none. */
export function superuserInputProblems(input: SuperuserInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  const { username, email, password } = input
  if (!username) errors.username = ['This field is required.']
  else if (username.length > USERNAME_MAX) {
    errors.username = [`Ensure this field has no more than ${USERNAME_MAX} characters.`]
  } else if (!USERNAME.test(username)) {
    errors.username = [
      'Enter a valid username. It may contain only letters, numbers, and ./+/-/_ characters.',
    ]
  }
  if (!email) errors.email = ['This field is required.']
  else if (email.length > EMAIL_MAX || !EMAIL.test(email)) errors.email = ['Enter a valid email address.']
  if (!password) errors.password = ['This field is required.']
  else if (Array.from(password).length > PASSWORD_MAX) {
    errors.password = [`Ensure this field has no more than ${PASSWORD_MAX} characters.`]
  } else if (!input.force) {
    const problems = passwordProblems(password, { username, email })
    if (problems.length > 0) errors.password = problems
  }
  return errors
}

/**
 * Creates a platform admin with a verified email. Invalid input, a weak password (unless `force`) or a
 * username or email already in use throw a 400 `validation_error` naming every failing field.
 */
export async function createSuperuser(
  db: Database,
  hasher: PasswordHasher,
  input: SuperuserInput,
): Promise<UserRow> {
  const errors = superuserInputProblems(input)
  const taken = await usernameOrEmailTaken(db, input.username || null, input.email || null)
  for (const [field, messages] of Object.entries(taken))
    errors[field] = [...(errors[field] ?? []), ...messages]
  if (Object.keys(errors).length > 0) throw validationFailed(errors)

  const password = await hasher.hash(input.password)
  let user: UserRow | undefined
  try {
    ;[user] = await db
      .insert(users)
      .values({
        username: input.username,
        email: input.email,
        password,
        role: 'admin',
        isStaff: true,
        isSuperuser: true,
        emailVerified: true,
        // Millisecond precision, like every other timestamp the app writes (the list's keyset cursors
        // carry the sort key as an ISO string).
        dateJoined: new Date(),
      })
      .returning()
  } catch (error) {
    throw duplicateUserError(error)
  }
  if (!user) throw new Error('insert returned no row')
  return user
}
