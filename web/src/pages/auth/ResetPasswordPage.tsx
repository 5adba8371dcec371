// Choose a new password with the single-use token from the reset email.
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import { Button, ButtonLink, Notice } from '../../ui/controls'
import { useTitle } from '../../ui/title'
import { ConfirmPasswordField, NewPasswordField } from './fields'
import { AlertBox, AuthCard, FormAlert, formErrors, hasCode, TextLink } from './shared'

export default function ResetPasswordPage() {
  useTitle('Choose a new password')
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const mutation = useMutation({
    mutationFn: () => api.post('/api/auth/password/reset/confirm/', { token, new_password: password }),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (password !== confirm) {
      setMismatch(true)
      document.getElementById('reset-confirm')?.focus()
      return
    }
    setMismatch(false)
    mutation.mutate()
  }

  if (!token) {
    return (
      <AuthCard title="Choose a new password">
        <AlertBox>
          This link is incomplete: it has no reset token. Open the link from the email again, or ask for a new
          one.
        </AlertBox>
        <ButtonLink to="/forgot-password" className="mt-6">
          Request a new link
        </ButtonLink>
      </AuthCard>
    )
  }

  if (mutation.isSuccess) {
    return (
      <AuthCard title="Choose a new password">
        <Notice>Your password has been changed. You can now sign in with your new password.</Notice>
        <ButtonLink to="/login" className="mt-6">
          Sign in
        </ButtonLink>
      </AuthCard>
    )
  }

  if (hasCode(mutation.error, 'token_invalid')) {
    return (
      <AuthCard title="Choose a new password">
        <AlertBox>{describeError(mutation.error)} Reset links work once and for 1 hour.</AlertBox>
        <ButtonLink to="/forgot-password" className="mt-6">
          Request a new link
        </ButtonLink>
      </AuthCard>
    )
  }

  const fields = formErrors(mutation.error)
  return (
    <AuthCard title="Choose a new password" intro="Pick a new password for your Tessera account.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={mutation.error} shown={['new_password']} />
        <NewPasswordField
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.new_password}
        />
        <ConfirmPasswordField
          id="reset-confirm"
          value={confirm}
          onChange={(event) => {
            setConfirm(event.target.value)
            if (mismatch && event.target.value === password) setMismatch(false)
          }}
          mismatch={mismatch}
        />
        <Button type="submit" busy={mutation.isPending}>
          Set new password
        </Button>
      </form>
      <p className="mt-6 text-sm text-slate-700">
        <TextLink to="/login">Back to sign in</TextLink>
      </p>
    </AuthCard>
  )
}
