// The account fields that the sign-in, registration, password and profile pages share, each with its
// autocomplete, length limit and hint in one place. Label and name may be given where a form differs.
import type { ComponentProps } from 'react'
import { TextField } from '../../ui/forms'

type FieldProps = Omit<ComponentProps<typeof TextField>, 'label'> & { label?: string }
type OnChange = (event: { target: { value: string } }) => void

export const PASSWORD_HINT =
  'At least 8 characters, not only digits, not a common password and not close to your username or email.'

export function EmailField(props: FieldProps) {
  return (
    <TextField
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      maxLength={254}
      required
      {...props}
    />
  )
}

export function CurrentPasswordField(props: FieldProps) {
  return (
    <TextField
      label="Current password"
      name="password"
      type="password"
      autoComplete="current-password"
      required
      {...props}
    />
  )
}

export function NewPasswordField(props: FieldProps) {
  return (
    <TextField
      label="New password"
      name="new_password"
      type="password"
      autoComplete="new-password"
      maxLength={128}
      required
      hint={PASSWORD_HINT}
      {...props}
    />
  )
}

/** The new password once more; the form checks that both match before it sends. */
export function ConfirmPasswordField({
  id,
  value,
  onChange,
  mismatch,
}: {
  id: string
  value: string
  onChange: OnChange
  mismatch: boolean
}) {
  return (
    <NewPasswordField
      id={id}
      label="Confirm new password"
      name="confirm_password"
      value={value}
      onChange={onChange}
      hint={null}
      error={mismatch ? 'The two passwords do not match.' : undefined}
    />
  )
}

/** A code from an authenticator app, or a recovery code. */
export function CodeField(props: FieldProps) {
  return (
    <TextField
      label="Authentication code"
      name="code"
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      maxLength={32}
      required
      {...props}
    />
  )
}

export function NameFields({
  firstName,
  lastName,
  onChange,
  errors,
  optional = false,
}: {
  firstName: string
  lastName: string
  onChange: (name: 'first_name' | 'last_name') => OnChange
  errors: Record<string, string>
  optional?: boolean
}) {
  const suffix = optional ? ' (optional)' : ''
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        label={`First name${suffix}`}
        name="first_name"
        value={firstName}
        onChange={onChange('first_name')}
        autoComplete="given-name"
        maxLength={150}
        error={errors.first_name}
      />
      <TextField
        label={`Last name${suffix}`}
        name="last_name"
        value={lastName}
        onChange={onChange('last_name')}
        autoComplete="family-name"
        maxLength={150}
        error={errors.last_name}
      />
    </div>
  )
}
