// Request and response shapes of the accounts endpoints (TypeBox: validation, serialization, OpenAPI).
import { type Static, Type } from '@sinclair/typebox'
import { patternSaying, Text } from '../../platform/http/inputs.js'

// Django's username characters without `@`: a login name with `@` is read as an email address, so a
// username like someone else's address would stand in front of that address at login.
const Username = Text({
  minLength: 1,
  maxLength: 150,
  pattern: patternSaying('^[\\w.+-]+$', 'Use only letters, digits and . + - _ (no spaces or @).'),
})
const Email = Type.String({ format: 'email', maxLength: 254 })
// Accepted as given up to 128 characters: never trimmed or truncated.
const Password = Text({ minLength: 1, maxLength: 128 })
const Name = Text({ maxLength: 150 })
const Phone = Text({ maxLength: 32 })
const Avatar = Text({ maxLength: 500 })
const RoleSchema = Type.Union([Type.Literal('user'), Type.Literal('creator'), Type.Literal('admin')])

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.String(),
    email_verified: Type.Boolean(),
    first_name: Type.String(),
    last_name: Type.String(),
    phone: Type.String(),
    avatar: Type.String(),
    role: RoleSchema,
    is_active: Type.Boolean(),
    is_staff: Type.Boolean(),
    two_factor_enabled: Type.Boolean(),
    date_joined: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
)
export type UserOut = Static<typeof UserSchema>

export const TokenPair = Type.Object({ access: Type.String(), refresh: Type.String() })

export const RegisterBody = Type.Object({
  username: Username,
  email: Email,
  password: Password,
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  phone: Type.Optional(Phone),
  role: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('creator')])),
})
export type RegisterBody = Static<typeof RegisterBody>

export const LoginBody = Type.Object({
  email: Type.Optional(Text({ maxLength: 254 })),
  username: Type.Optional(Text({ maxLength: 254 })),
  password: Password,
  otp: Type.Optional(Text({ maxLength: 32 })),
})
export type LoginBody = Static<typeof LoginBody>

export const RefreshBody = Type.Object({ refresh: Text({ minLength: 1, maxLength: 2000 }) })

export const ProfileBody = Type.Object({
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  phone: Type.Optional(Phone),
  avatar: Type.Optional(Avatar),
  email: Type.Optional(Email),
  password: Type.Optional(Password),
})
export type ProfileBody = Static<typeof ProfileBody>

export const PasswordChangeBody = Type.Object({ old_password: Password, new_password: Password })

// A mailed token: 32 random bytes in base64url (43 characters); the bound only stops absurd bodies.
const MailedToken = Text({ minLength: 1, maxLength: 200 })

export const MailedTokenBody = Type.Object({ token: MailedToken })
export const PasswordResetBody = Type.Object({ email: Email })
export const PasswordResetConfirmBody = Type.Object({ token: MailedToken, new_password: Password })

const OneTimeCode = Text({ minLength: 1, maxLength: 32 })
// Enabling and disabling 2FA both need the current password: a stolen access token alone does neither.
export const EnableTwoFactorBody = Type.Object({ password: Password, code: OneTimeCode })
export const DisableTwoFactorBody = Type.Object({ password: Password, code: OneTimeCode })

export const UserAdminPatch = Type.Object({
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  phone: Type.Optional(Phone),
  avatar: Type.Optional(Avatar),
  role: Type.Optional(RoleSchema),
  is_active: Type.Optional(Type.Boolean()),
  is_staff: Type.Optional(Type.Boolean()),
})
export type UserAdminPatch = Static<typeof UserAdminPatch>

export const USER_ORDERINGS = ['username', 'email', 'date_joined', 'last_login'] as const
export const UserListQuery = Type.Object({
  search: Type.Optional(Text({ maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  is_active: Type.Optional(Type.Boolean()),
  ordering: Type.Optional(
    Type.Union(USER_ORDERINGS.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)])),
  ),
})
