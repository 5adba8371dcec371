// Confirm an email address with the token from the verification email. The token is sent once, on
// arrival (a ref keeps React's development double effects from spending it twice).
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, ErrorAlert, Loading, Notice } from '../../ui/controls'
import { useTitle } from '../../ui/title'
import { AlertBox, AuthCard, hasCode, TextLink } from './shared'

export default function VerifyEmailPage() {
  useTitle('Verify your email')
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const { user, loading, refresh } = useAuth()
  const sent = useRef(false)
  const verify = useMutation({
    mutationFn: () => api.post('/api/auth/email/verify/', { token }),
    onSuccess: () => refresh(),
  })
  const { mutate } = verify

  useEffect(() => {
    if (!token || sent.current) return
    sent.current = true
    mutate()
  }, [token, mutate])

  if (!token) {
    return (
      <AuthCard title="Verify your email">
        <AlertBox>
          This link is incomplete: it has no verification token. Open the link from the email again.
        </AlertBox>
        <NewLink email={user?.email} loading={loading} />
      </AuthCard>
    )
  }

  if (verify.isSuccess) {
    return (
      <AuthCard title="Verify your email">
        <Notice>Your email is verified. Thank you!</Notice>
        <ButtonLink to="/" className="mt-6">
          Browse classes
        </ButtonLink>
      </AuthCard>
    )
  }

  // A link opened a second time, by someone whose address is verified already: nothing went wrong.
  if (verify.isError && hasCode(verify.error, 'token_invalid') && user?.email_verified) {
    return (
      <AuthCard title="Verify your email">
        <Notice tone="info">
          Your email address <strong className="[overflow-wrap:anywhere]">{user.email}</strong> is already
          verified.
        </Notice>
        <ButtonLink to="/" className="mt-6">
          Browse classes
        </ButtonLink>
      </AuthCard>
    )
  }

  if (verify.isError) {
    return (
      <AuthCard title="Verify your email">
        <AlertBox>
          {hasCode(verify.error, 'token_invalid')
            ? `${describeError(verify.error)} If your address is not verified yet, ask for a new link.`
            : describeError(verify.error)}
        </AlertBox>
        {hasCode(verify.error, 'token_invalid') ? (
          <NewLink email={user?.email} loading={loading} />
        ) : (
          <Button variant="secondary" className="mt-6" onClick={() => verify.mutate()}>
            Try again
          </Button>
        )}
      </AuthCard>
    )
  }

  return (
    <AuthCard title="Verify your email">
      <Loading what="Verifying your email" />
    </AuthCard>
  )
}

/** A fresh link: a button when signed in (the link goes to the current address), else a way to sign in. */
function NewLink({ email, loading }: { email: string | undefined; loading: boolean }) {
  const resend = useMutation({ mutationFn: () => api.post<null>('/api/auth/email/resend/') })
  if (loading) return null
  if (!email) {
    return (
      <p className="mt-6 text-sm text-slate-700">
        <TextLink to={`/login?next=${encodeURIComponent('/profile')}`}>Sign in</TextLink> to get a new link:
        your profile page can send one.
      </p>
    )
  }
  // The API says so when the address is verified already; otherwise it mailed a new link.
  const already = resend.data?.message?.toLowerCase().includes('already')
  return (
    <div className="mt-6 flex flex-col gap-4">
      <div aria-live="polite">
        {resend.isSuccess ? (
          <Notice tone={already ? 'info' : 'success'}>
            {already ? resend.data?.message : `We sent a new verification link to ${email}.`}
          </Notice>
        ) : null}
        <ErrorAlert error={resend.error} />
      </div>
      <Button
        variant="secondary"
        busy={resend.isPending}
        onClick={() => resend.mutate()}
        className="self-start"
      >
        Send a new link
      </Button>
    </div>
  )
}
