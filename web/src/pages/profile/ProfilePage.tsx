// The signed-in person's own account: personal details, email address (and its verification),
// password, two-factor authentication and signing out. Each section saves on its own.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { api } from '../../api/client'
import type { paths } from '../../api/schema'
import type { User } from '../../api/types'
import { ME, useAuth } from '../../auth/session'
import { Button, ErrorAlert, Loading, Notice, PageHeader } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import {
  ConfirmPasswordField,
  CurrentPasswordField,
  EmailField,
  NameFields,
  NewPasswordField,
} from '../auth/fields'
import { FormAlert, formErrors } from '../auth/shared'
import { Saved, Section } from './parts'
import { TwoFactorSection } from './TwoFactorSection'

type ProfilePatch = paths['/api/auth/profile/']['patch']['requestBody']['content']['application/json']

export default function ProfilePage() {
  useTitle('Your profile')
  const { user, loading, error, refresh } = useAuth()
  if (loading) return <Loading />
  if (error) return <ErrorAlert error={error} onRetry={refresh} />
  if (!user) return null
  return (
    <div className="mx-auto w-full max-w-3xl">
      <PageHeader title="Your profile">
        <p className="text-sm text-slate-700">
          Signed in as <strong>{user.username}</strong>
        </p>
      </PageHeader>
      <div className="flex flex-col gap-6">
        <DetailsSection user={user} />
        <EmailSection user={user} />
        <PasswordSection />
        <TwoFactorSection user={user} />
        <SignOutSection />
      </div>
    </div>
  )
}

function useProfilePatch() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: ProfilePatch) => (await api.patch<User>('/api/auth/profile/', body)).data,
    onSuccess: (user) => {
      client.setQueryData(ME, user)
      void client.invalidateQueries({ queryKey: ME })
    },
  })
}

/** An https address the page may show as an image (img-src allows https: only). */
function previewable(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

function DetailsSection({ user }: { user: User }) {
  const [form, setForm] = useState({
    first_name: user.first_name,
    last_name: user.last_name,
    phone: user.phone,
    avatar: user.avatar,
  })
  const [broken, setBroken] = useState(false)
  const save = useProfilePatch()
  const fields = formErrors(save.error)
  const avatar = form.avatar.trim()

  function update(name: keyof typeof form) {
    return (event: { target: { value: string } }) => {
      save.reset()
      if (name === 'avatar') setBroken(false)
      setForm((current) => ({ ...current, [name]: event.target.value }))
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    save.mutate({
      first_name: form.first_name.trim(),
      last_name: form.last_name.trim(),
      phone: form.phone.trim(),
      avatar,
    })
  }

  return (
    <Section title="Personal details" intro="Your name and photo show to the businesses you book with.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={save.error} shown={['first_name', 'last_name', 'phone', 'avatar']} />
        <NameFields firstName={form.first_name} lastName={form.last_name} onChange={update} errors={fields} />
        <TextField
          label="Phone"
          name="phone"
          type="tel"
          value={form.phone}
          onChange={update('phone')}
          autoComplete="tel"
          maxLength={32}
          error={fields.phone}
        />
        <div className="flex items-start gap-4">
          <div className="flex-1">
            <TextField
              label="Avatar URL"
              name="avatar"
              type="url"
              inputMode="url"
              value={form.avatar}
              onChange={update('avatar')}
              autoComplete="photo"
              maxLength={500}
              placeholder="https://…"
              hint={
                avatar && !previewable(avatar)
                  ? 'Only https:// addresses can be shown as a picture.'
                  : broken
                    ? 'This address did not load as a picture.'
                    : 'The address of a picture of you (https://…).'
              }
              error={fields.avatar}
            />
          </div>
          {avatar && previewable(avatar) && !broken ? (
            <img
              src={avatar}
              alt="Avatar preview"
              className="mt-6 h-16 w-16 shrink-0 rounded-full border border-slate-200 object-cover"
              referrerPolicy="no-referrer"
              onError={() => setBroken(true)}
            />
          ) : null}
        </div>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <Button type="submit" busy={save.isPending} className="shrink-0 sm:self-start">
            Save details
          </Button>
          <Saved show={save.isSuccess}>Your details are saved.</Saved>
        </div>
      </form>
    </Section>
  )
}

function EmailSection({ user }: { user: User }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const save = useProfilePatch()
  const resend = useMutation({ mutationFn: () => api.post<null>('/api/auth/email/resend/') })
  const fields = formErrors(save.error)

  function submit(event: FormEvent) {
    event.preventDefault()
    resend.reset()
    save.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => {
          setEmail('')
          setPassword('')
        },
      },
    )
  }

  return (
    <Section title="Email">
      <div className="flex flex-col gap-3 rounded-md bg-slate-50 p-3 text-sm text-slate-800 sm:flex-row sm:items-center sm:justify-between">
        <p>
          <span className="[overflow-wrap:anywhere] font-medium">{user.email}</span>{' '}
          {user.email_verified ? (
            <span className="ml-1 inline-flex rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-semibold text-emerald-900">
              Verified
            </span>
          ) : (
            <span className="ml-1 inline-flex rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900">
              Not verified
            </span>
          )}
        </p>
        {user.email_verified ? null : (
          <Button variant="secondary" busy={resend.isPending} onClick={() => resend.mutate()}>
            Resend verification email
          </Button>
        )}
      </div>
      <div aria-live="polite" className="mt-2">
        {resend.isSuccess ? (
          <Notice>
            {resend.data.message?.toLowerCase().includes('already')
              ? resend.data.message
              : `We sent a new verification link to ${user.email}.`}
          </Notice>
        ) : null}
        <ErrorAlert error={resend.error} />
      </div>
      <form onSubmit={submit} className="mt-4 flex flex-col gap-4">
        <p className="text-sm text-slate-700">
          To change your address, enter the new one and your current password. We will send a link to the new
          address: it must be verified again.
        </p>
        <FormAlert error={save.error} shown={['email', 'password']} />
        <EmailField
          label="New email"
          value={email}
          onChange={(event) => {
            save.reset()
            setEmail(event.target.value)
          }}
          error={fields.email}
        />
        <CurrentPasswordField
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.password}
        />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <Button type="submit" busy={save.isPending} className="shrink-0 sm:self-start">
            Change email
          </Button>
          <Saved show={save.isSuccess}>
            Your email is now {save.data?.email}. Check that inbox for a link to verify it.
          </Saved>
        </div>
      </form>
    </Section>
  )
}

function PasswordSection() {
  const [form, setForm] = useState({ old_password: '', new_password: '', confirm: '' })
  const [mismatch, setMismatch] = useState(false)
  const client = useQueryClient()
  const change = useMutation({
    mutationFn: () =>
      api.post('/api/auth/password/change/', {
        old_password: form.old_password,
        new_password: form.new_password,
      }),
    onSuccess: () => {
      setForm({ old_password: '', new_password: '', confirm: '' })
      void client.invalidateQueries({ queryKey: ME })
    },
  })
  const fields = formErrors(change.error)
  const confirmId = useId()

  function update(name: keyof typeof form) {
    return (event: { target: { value: string } }) => {
      change.reset()
      setForm((current) => ({ ...current, [name]: event.target.value }))
      if (name === 'confirm' && event.target.value === form.new_password) setMismatch(false)
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (form.new_password !== form.confirm) {
      setMismatch(true)
      document.getElementById(confirmId)?.focus()
      return
    }
    setMismatch(false)
    change.mutate()
  }

  return (
    <Section title="Password" intro="Changing it signs you out on your other devices.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert error={change.error} shown={['old_password', 'new_password']} />
        <CurrentPasswordField
          name="old_password"
          value={form.old_password}
          onChange={update('old_password')}
          error={fields.old_password}
        />
        <NewPasswordField
          value={form.new_password}
          onChange={update('new_password')}
          error={fields.new_password}
        />
        <ConfirmPasswordField
          id={confirmId}
          value={form.confirm}
          onChange={update('confirm')}
          mismatch={mismatch}
        />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <Button type="submit" busy={change.isPending} className="shrink-0 sm:self-start">
            Change password
          </Button>
          <Saved show={change.isSuccess}>Your password has been changed.</Saved>
        </div>
      </form>
    </Section>
  )
}

function SignOutSection() {
  const { signOut } = useAuth()
  const navigate = useNavigate()
  const leave = useMutation({ mutationFn: signOut, onSuccess: () => navigate('/') })
  return (
    <Section title="Sign out" intro="End your session on this device.">
      <ErrorAlert error={leave.error} />
      <Button
        variant="secondary"
        busy={leave.isPending}
        onClick={() => leave.mutate()}
        className={leave.error ? 'mt-3' : ''}
      >
        Sign out
      </Button>
    </Section>
  )
}
