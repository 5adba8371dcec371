// Ask for a password reset link. The answer is the same whether or not the address has an account,
// so the page never tells anyone who is registered.
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api } from '../../api/client'
import { Button, Notice } from '../../ui/controls'
import { useTitle } from '../../ui/title'
import { EmailField } from './fields'
import { AuthCard, FormAlert, formErrors, TextLink } from './shared'

export default function ForgotPasswordPage() {
  useTitle('Reset your password')
  const [email, setEmail] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (address: string) => api.post('/api/auth/password/reset/', { email: address }),
    onSuccess: (_data, address) => setSentTo(address),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    mutation.mutate(email.trim())
  }

  const fields = formErrors(mutation.error)
  return (
    <AuthCard
      title="Reset your password"
      intro="Enter the email address of your account and we will send you a link to choose a new password."
    >
      <div aria-live="polite">
        {sentTo ? (
          <Notice>
            If an account exists for <strong className="[overflow-wrap:anywhere]">{sentTo}</strong>, we sent a
            link to it. The link is valid for 1 hour and works once.
          </Notice>
        ) : null}
      </div>
      <form onSubmit={submit} className={`flex flex-col gap-4 ${sentTo ? 'mt-4' : ''}`}>
        <FormAlert error={mutation.error} shown={['email']} />
        <EmailField value={email} onChange={(event) => setEmail(event.target.value)} error={fields.email} />
        <Button type="submit" busy={mutation.isPending}>
          {sentTo ? 'Send the link again' : 'Send reset link'}
        </Button>
      </form>
      <p className="mt-6 text-sm text-slate-700">
        Remembered it? <TextLink to="/login">Back to sign in</TextLink>
      </p>
    </AuthCard>
  )
}
