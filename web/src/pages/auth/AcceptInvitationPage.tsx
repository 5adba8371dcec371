// Join a business from an emailed invitation. The invitation belongs to an address: the person signs
// in (or registers) with it, then accepts with one button.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import type { Business } from '../../api/types'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, ErrorAlert, Loading, Notice } from '../../ui/controls'
import { useTitle } from '../../ui/title'
import { AlertBox, AuthCard, hasCode } from './shared'

export default function AcceptInvitationPage() {
  useTitle('Accept invitation')
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const { user, loading, error, refresh, signOut } = useAuth()
  const client = useQueryClient()
  const accept = useMutation({
    mutationFn: async () => (await api.post<Business>('/api/invitations/accept/', { token })).data,
    onSuccess: () => client.invalidateQueries({ queryKey: ['memberships'] }),
  })
  const leave = useMutation({ mutationFn: signOut, onSuccess: () => accept.reset() })

  if (!token) {
    return (
      <AuthCard title="Accept invitation">
        <AlertBox>
          This invitation link is incomplete: it has no token. Open the link from the invitation email again.
        </AlertBox>
      </AuthCard>
    )
  }
  if (loading) return <Loading />
  if (error) return <ErrorAlert error={error} onRetry={refresh} />

  const here = `/invitations/accept?token=${token}`
  const next = encodeURIComponent(here)

  if (!user) {
    return (
      <AuthCard
        title="Accept invitation"
        intro="You have been invited to join a business on Tessera as a member of its team."
      >
        <p className="text-sm text-slate-700">
          To accept, sign in with the email address the invitation was sent to. New to Tessera? Create an
          account with that address, then accept.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <ButtonLink to={`/login?next=${next}`}>Sign in</ButtonLink>
          <ButtonLink to={`/register?next=${next}`} variant="secondary">
            Create an account
          </ButtonLink>
        </div>
      </AuthCard>
    )
  }

  if (accept.isSuccess) {
    return (
      <AuthCard title="Accept invitation">
        <Notice>
          You joined <strong>{accept.data.name}</strong>. Welcome to the team!
        </Notice>
        <ButtonLink to="/dashboard" className="mt-6">
          Go to the dashboard
        </ButtonLink>
      </AuthCard>
    )
  }

  const invalid = hasCode(accept.error, 'token_invalid')
  return (
    <AuthCard title="Accept invitation" intro="You have been invited to join a business on Tessera.">
      <p className="text-sm text-slate-700">
        You are signed in as <strong>{user.username}</strong> (
        <span className="[overflow-wrap:anywhere]">{user.email}</span>
        ).
      </p>
      <div className="mt-4" aria-live="polite">
        {invalid ? (
          <AlertBox>
            <p>
              This invitation cannot be accepted by{' '}
              <strong className="[overflow-wrap:anywhere]">{user.email}</strong>.
            </p>
            <p className="mt-2">
              Most often it was sent to a different address: sign out and sign in (or create an account) with
              that address. It may also have been used already, revoked, or expired (invitations last 7 days):
              ask the business for a new one.
            </p>
          </AlertBox>
        ) : accept.isError ? (
          <AlertBox>{describeError(accept.error)}</AlertBox>
        ) : null}
        {leave.isError ? <ErrorAlert error={leave.error} /> : null}
      </div>
      <div className="mt-6 flex flex-wrap gap-3">
        {invalid ? null : (
          <Button busy={accept.isPending} onClick={() => accept.mutate()}>
            Accept invitation
          </Button>
        )}
        <Button variant="secondary" busy={leave.isPending} onClick={() => leave.mutate()}>
          Sign out and switch account
        </Button>
      </div>
    </AuthCard>
  )
}
