// Create an account (to book sessions, or to offer them as a creator), sign in to it at once over the
// cookie session, then ask the person to confirm their address from the link we mailed.
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../../api/client'
import type { paths } from '../../api/schema'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, ErrorAlert, FOCUS, Notice, Spinner } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { EmailField, NameFields, NewPasswordField } from './fields'
import { AuthCard, FormAlert, formErrors, nextQuery, safeNext, TextLink } from './shared'

type RegisterBody = paths['/api/auth/register/']['post']['requestBody']['content']['application/json']
type Role = NonNullable<RegisterBody['role']>

const ROLES: { value: Role; label: string; hint: string }[] = [
  { value: 'user', label: 'Book sessions (customer)', hint: 'Find classes and appointments and book them.' },
  {
    value: 'creator',
    label: 'Offer sessions (creator)',
    hint: 'Get a business of your own to publish sessions and take bookings.',
  },
]

const SHOWN = ['username', 'email', 'password', 'first_name', 'last_name', 'role']

export default function RegisterPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const { signIn } = useAuth()
  const [form, setForm] = useState({ username: '', email: '', password: '', first_name: '', last_name: '' })
  const [role, setRole] = useState<Role>('user')
  const [registered, setRegistered] = useState<string | null>(null)
  const roleLegend = useId()

  const register = useMutation({
    mutationFn: async () => {
      const body: RegisterBody = {
        username: form.username.trim(),
        email: form.email.trim(),
        password: form.password,
        role,
        ...(form.first_name.trim() ? { first_name: form.first_name.trim() } : {}),
        ...(form.last_name.trim() ? { last_name: form.last_name.trim() } : {}),
      }
      // The answer carries JWT tokens for API clients: the browser uses the cookie session instead.
      const { data } = await api.post<{ user: { email: string } }>('/api/auth/register/', body)
      return data.user.email
    },
    onSuccess: (email) => {
      setRegistered(email)
      signInAfter.mutate()
    },
  })
  const signInAfter = useMutation({
    mutationFn: () => signIn({ login: form.username.trim(), password: form.password }),
  })
  const resend = useMutation({ mutationFn: () => api.post('/api/auth/email/resend/') })

  useTitle(registered ? 'Check your inbox' : 'Create an account')

  function update(name: keyof typeof form) {
    return (event: { target: { value: string } }) =>
      setForm((current) => ({ ...current, [name]: event.target.value }))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    register.mutate()
  }

  if (registered) {
    return (
      <AuthCard title="Check your inbox">
        <div className="flex flex-col gap-4 text-sm text-slate-700">
          <p className="text-base text-slate-800">
            Your account is ready. We sent a verification link to{' '}
            <strong className="[overflow-wrap:anywhere]">{registered}</strong>. Open it to confirm your
            address.
          </p>
          <p>
            The link is valid for a limited time. Did not get it? Check your spam folder, or send it again.
          </p>
          {signInAfter.isError ? (
            <div className="flex flex-col gap-3">
              <ErrorAlert error={signInAfter.error} />
              <p>
                Your account was created, but we could not sign you in.{' '}
                <TextLink to={`/login${nextQuery(next)}`}>Sign in</TextLink>
              </p>
            </div>
          ) : null}
          <div aria-live="polite">
            {resend.isSuccess ? <Notice>We sent a new verification link to {registered}.</Notice> : null}
            {resend.isError ? <ErrorAlert error={resend.error} /> : null}
          </div>
          {signInAfter.isPending ? <Spinner small label="Signing you in…" /> : null}
          <div className="flex flex-wrap gap-3">
            <Button
              variant="secondary"
              busy={resend.isPending}
              disabled={!signInAfter.isSuccess}
              onClick={() => resend.mutate()}
            >
              Resend verification email
            </Button>
            {signInAfter.isSuccess ? (
              <ButtonLink to={next}>
                {next.startsWith('/invitations/') ? 'Continue to your invitation' : 'Continue'}
              </ButtonLink>
            ) : null}
          </div>
        </div>
      </AuthCard>
    )
  }

  const fields = formErrors(register.error)
  return (
    <AuthCard
      title="Create an account"
      intro={
        <>
          Already have one? <TextLink to={`/login${nextQuery(next)}`}>Sign in</TextLink>
        </>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={register.error} shown={SHOWN} />
        <TextField
          label="Username"
          name="username"
          value={form.username}
          onChange={update('username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={150}
          required
          hint="Letters, digits and . _ + - only."
          error={fields.username}
        />
        <EmailField value={form.email} onChange={update('email')} error={fields.email} />
        <NewPasswordField
          label="Password"
          name="password"
          value={form.password}
          onChange={update('password')}
          error={fields.password}
        />
        <NameFields
          firstName={form.first_name}
          lastName={form.last_name}
          onChange={update}
          errors={fields}
          optional
        />
        <fieldset
          className="flex flex-col gap-2"
          aria-describedby={fields.role ? `${roleLegend}-error` : undefined}
        >
          <legend id={roleLegend} className="mb-1 text-sm font-medium text-slate-800">
            I want to…
          </legend>
          {ROLES.map((option) => (
            <label
              key={option.value}
              className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-300 bg-white p-3 has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50"
            >
              <input
                type="radio"
                name="role"
                value={option.value}
                checked={role === option.value}
                onChange={() => setRole(option.value)}
                aria-labelledby={`${roleLegend}-${option.value}`}
                aria-describedby={`${roleLegend}-${option.value}-hint`}
                className={`mt-0.5 h-4 w-4 accent-indigo-700 ${FOCUS}`}
              />
              <span className="flex flex-col">
                <span id={`${roleLegend}-${option.value}`} className="text-sm font-semibold text-slate-900">
                  {option.label}
                </span>
                <span id={`${roleLegend}-${option.value}-hint`} className="text-xs text-slate-700">
                  {option.hint}
                </span>
              </span>
            </label>
          ))}
          {fields.role ? (
            <p id={`${roleLegend}-error`} className="text-sm text-red-700">
              {fields.role}
            </p>
          ) : null}
        </fieldset>
        <Button type="submit" busy={register.isPending || signInAfter.isPending}>
          Create account
        </Button>
      </form>
    </AuthCard>
  )
}
