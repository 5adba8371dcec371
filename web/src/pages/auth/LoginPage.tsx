// Sign in with a username or email address and a password; when the account has two-factor
// authentication on, a second step asks for the code from the authenticator app (or a recovery code).
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useEffect, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '../../api/client'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, Notice } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { CodeField, CurrentPasswordField } from './fields'
import { AuthCard, FormAlert, formErrors, hasCode, nextQuery, safeNext, TextLink } from './shared'

type Step = 'password' | 'code'

const CODE_ID = 'login-otp'
const focusCode = () => document.getElementById(CODE_ID)?.focus()

export default function LoginPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const navigate = useNavigate()
  const { user, signIn, signOut } = useAuth()
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [otp, setOtp] = useState('')
  const [step, setStep] = useState<Step>('password')
  const [recovery, setRecovery] = useState(false)
  const [signedInHere, setSignedInHere] = useState(false)
  useTitle(step === 'code' ? 'Two-factor authentication' : 'Sign in')

  const mutation = useMutation({
    mutationFn: () =>
      signIn({ login: login.trim(), password, ...(step === 'code' ? { otp: otp.trim() } : {}) }),
    onSuccess: () => {
      setSignedInHere(true)
      navigate(next, { replace: true })
    },
    onError: (error) => {
      if (hasCode(error, 'otp_required') && step === 'password') {
        mutation.reset()
        setStep('code')
      }
    },
  })

  useEffect(() => {
    if (step === 'code') focusCode()
  }, [step])

  function submit(event: FormEvent) {
    event.preventDefault()
    mutation.mutate()
  }

  function back() {
    mutation.reset()
    setOtp('')
    setRecovery(false)
    setStep('password')
  }

  // Someone already signed in (from another tab, say) may go on, or sign out to switch accounts.
  if (user && !signedInHere && !mutation.isPending) {
    return (
      <AuthCard title="Sign in">
        <Notice tone="info">
          You are already signed in as <strong>{user.username}</strong> ({user.email}).
        </Notice>
        <div className="mt-6 flex flex-wrap gap-3">
          <ButtonLink to={next}>Continue</ButtonLink>
          <Button variant="secondary" onClick={() => void signOut()}>
            Sign out to switch accounts
          </Button>
        </div>
      </AuthCard>
    )
  }

  if (step === 'code') {
    // A wrong code answers otp_required again: say that the code was not right.
    const error = hasCode(mutation.error, 'otp_required')
      ? new ApiError(401, 'otp_invalid', 'The one-time code is not valid.')
      : mutation.error
    const fields = formErrors(error, { otp_invalid: 'otp' })
    return (
      <AuthCard
        title="Two-factor authentication"
        intro={
          recovery
            ? 'Enter one of the recovery codes you saved when you turned on two-factor authentication. Each works once.'
            : 'Open your authenticator app and enter the 6-digit code it shows for Tessera.'
        }
      >
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <FormAlert error={error} shown={['otp']} byCode={{ otp_invalid: 'otp' }} />
          <CodeField
            id={CODE_ID}
            name="otp"
            value={otp}
            onChange={(event) => setOtp(event.target.value)}
            inputMode={recovery ? 'text' : 'numeric'}
            autoComplete={recovery ? 'off' : 'one-time-code'}
            error={fields.otp}
            hint={recovery ? 'For example k7m2qx-9hfp3a.' : '6 digits, or a recovery code.'}
          />
          <Button type="submit" busy={mutation.isPending} disabled={otp.trim() === ''}>
            Verify and sign in
          </Button>
          <div className="flex flex-wrap justify-between gap-3 text-sm">
            <button
              type="button"
              className="rounded-sm font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2"
              onClick={() => {
                setRecovery((value) => !value)
                focusCode()
              }}
            >
              {recovery ? 'Use a code from your app' : 'Use a recovery code'}
            </button>
            <button
              type="button"
              className="rounded-sm font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2"
              onClick={back}
            >
              Back
            </button>
          </div>
        </form>
      </AuthCard>
    )
  }

  const fields = formErrors(mutation.error)
  return (
    <AuthCard title="Sign in" intro="Welcome back. Sign in to book and manage your sessions.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={mutation.error} shown={['username', 'email', 'password']} />
        <TextField
          label="Username or email"
          name="login"
          value={login}
          onChange={(event) => setLogin(event.target.value)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          error={fields.username ?? fields.email}
        />
        <CurrentPasswordField
          label="Password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.password}
        />
        <Button type="submit" busy={mutation.isPending}>
          Sign in
        </Button>
      </form>
      <div className="mt-6 flex flex-col gap-2 text-sm text-slate-700 sm:flex-row sm:justify-between">
        <TextLink to="/forgot-password">Forgot your password?</TextLink>
        <p>
          New here? <TextLink to={`/register${nextQuery(next)}`}>Create an account</TextLink>
        </p>
      </div>
    </AuthCard>
  )
}
