// For someone who belongs to no business: what the dashboard is for, and (once their email is
// verified) a small form to start a business of their own.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import { api } from '../../api/client'
import { fieldErrors } from '../../api/errors'
import type { Business } from '../../api/types'
import { useAuth } from '../../auth/session'
import { Button, Card, ErrorAlert, FOCUS, Notice, PageHeader } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { rememberBusiness } from './business'

export function NoBusiness() {
  useTitle('Dashboard')
  const { user } = useAuth()
  const client = useQueryClient()
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const create = useMutation({
    mutationFn: async (value: string) => (await api.post<Business>('/api/businesses/', { name: value })).data,
    onSuccess: async (business) => {
      rememberBusiness(business.id)
      await client.invalidateQueries({ queryKey: ['memberships'] })
      navigate({ pathname: '/dashboard', search: `?business=${encodeURIComponent(business.id)}` })
    },
  })
  const errors = fieldErrors(create.error)
  const left = (useLocation().state as { left?: string } | null)?.left

  function submit(event: FormEvent) {
    event.preventDefault()
    create.mutate(name.trim())
  }

  return (
    <div className="max-w-2xl">
      <PageHeader title="Dashboard" />
      {left ? (
        <div className="mb-4">
          <Notice>You left {left}.</Notice>
        </div>
      ) : null}
      <div className="space-y-3 text-slate-700">
        <p>
          You are not part of a business yet. The dashboard is where a business's team looks after its
          sessions, bookings, reservations and members.
        </p>
        <p>
          Were you invited to join a team? Open the link in the invitation email while signed in with the
          invited address.
        </p>
      </div>
      {user?.email_verified ? (
        <Card className="mt-6">
          <h2 className="mb-1 text-lg font-semibold text-slate-900">Create a business</h2>
          <p className="mb-4 text-sm text-slate-700">
            You become its owner and can invite your team afterwards.
          </p>
          <form onSubmit={submit} className="space-y-4" noValidate>
            {create.error ? <ErrorAlert error={create.error} /> : null}
            <TextField
              label="Business name"
              name="name"
              required
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
              error={errors.name}
            />
            <Button type="submit" busy={create.isPending} disabled={!name.trim()}>
              Create business
            </Button>
          </form>
        </Card>
      ) : (
        <p className="mt-6 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-950">
          To create a business of your own, first verify your email address: use the link we emailed you, or
          ask for a new one on your{' '}
          <Link to="/profile" className={`font-semibold underline ${FOCUS}`}>
            profile
          </Link>
          .
        </p>
      )}
    </div>
  )
}
