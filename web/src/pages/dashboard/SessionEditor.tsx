// Create or edit one session (POST /api/sessions/, PATCH /api/sessions/{id}/), with its schedule, and
// delete it. Someone whose role only reads sessions sees its details instead of the form.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api } from '../../api/client'
import { fieldErrors } from '../../api/errors'
import type { Session } from '../../api/types'
import { Button, Card, ErrorAlert, FOCUS, Loading, PageHeader } from '../../ui/controls'
import { formatDuration, formatMoney } from '../../ui/format'
import { SelectField, TextArea, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { can, useDashboard } from './business'
import { ActionError, ConfirmButton, ReadError } from './parts'
import { draftFrom, type ScheduleDraft, ScheduleEditor, scheduleFrom } from './ScheduleEditor'
import { SessionStatusBadge } from './SessionsSection'
import { scheduleSummary, sessionsKey, type Weekday } from './sessions'

export function SessionEditor() {
  const { id } = useParams()
  const { business, power } = useDashboard()
  const session = useQuery({
    queryKey: [...sessionsKey(business.id), 'one', id],
    enabled: Boolean(id),
    queryFn: async () => (await api.get<Session>(`/api/sessions/${id}/`, { business: business.id })).data,
  })
  useTitle(id ? (session.data ? `Session ${session.data.title}` : 'Session') : 'New session')

  if (!id) return <SessionForm />
  if (session.isPending) return <Loading what="Loading the session" />
  if (session.error)
    return (
      <>
        <PageHeader title="Session" />
        <BackLink />
        <ReadError
          error={session.error}
          power={power}
          what="this session"
          onRetry={() => session.refetch()}
        />
      </>
    )
  if (!can.editSessions(power)) return <SessionDetails session={session.data} />
  return <SessionForm session={session.data} />
}

function BackLink() {
  const { search } = useDashboard()
  return (
    <p className="mb-4">
      <Link
        to={{ pathname: '/dashboard/sessions', search }}
        className={`rounded text-sm font-medium text-indigo-800 underline ${FOCUS}`}
      >
        ← Back to sessions
      </Link>
    </p>
  )
}

function SessionDetails({ session }: { session: Session }) {
  const { business } = useDashboard()
  const rows = [
    ['Status', <SessionStatusBadge key="status" status={session.status} />],
    ['Price', formatMoney(session.price, business.currency)],
    ['Duration', formatDuration(session.duration)],
    [
      'Capacity',
      `${session.max_participants} ${session.max_participants === 1 ? 'participant' : 'participants'}`,
    ],
    ['Schedule', scheduleSummary(session.schedule)],
    ['Description', session.description || '—'],
  ] as const
  return (
    <>
      <PageHeader title={session.title} />
      <BackLink />
      <Card>
        <dl className="grid gap-4 sm:grid-cols-[10rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-sm font-medium text-slate-700">{label}</dt>
              <dd className="text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  )
}

type Fields = {
  title: string
  description: string
  duration: string
  price: string
  max_participants: string
  image_url: string
  status: Session['status']
}

const number = (text: string) => (text.trim() === '' ? undefined : Number(text))

function SessionForm({ session }: { session?: Session }) {
  const { business, power, search } = useDashboard()
  const navigate = useNavigate()
  const client = useQueryClient()
  const [fields, setFields] = useState<Fields>({
    title: session?.title ?? '',
    description: session?.description ?? '',
    duration: session ? String(session.duration) : '60',
    price: session?.price ?? '',
    max_participants: session ? String(session.max_participants) : '1',
    image_url: session?.image_url ?? '',
    status: session?.status ?? 'active',
  })
  const [draft, setDraft] = useState<ScheduleDraft>(() => draftFrom(session?.schedule))
  const [order, setOrder] = useState<Weekday[]>([])
  const [noTimes, setNoTimes] = useState(false)
  const set = (name: keyof Fields) => (event: { target: { value: string } }) =>
    setFields((current) => ({ ...current, [name]: event.target.value }))

  const toList = (notice: string) =>
    navigate({ pathname: '/dashboard/sessions', search }, { state: { notice } })

  const save = useMutation({
    mutationFn: async () => {
      const { schedule, order: weekdays } = scheduleFrom(draft)
      setOrder(weekdays)
      const body = {
        title: fields.title.trim(),
        description: fields.description,
        duration: number(fields.duration),
        price: fields.price.trim() === '' ? undefined : fields.price.trim(),
        max_participants: number(fields.max_participants),
        image_url: fields.image_url.trim(),
        status: fields.status,
        schedule,
      }
      return session
        ? api.patch<Session>(`/api/sessions/${session.id}/`, body, { business: business.id })
        : api.post<Session>('/api/sessions/', body, { business: business.id })
    },
    onSuccess: async ({ data }) => {
      await client.invalidateQueries({ queryKey: ['dashboard', business.id] })
      toList(session ? `${data.title} was saved.` : `${data.title} was created.`)
    },
  })
  const remove = useMutation({
    mutationFn: async () => api.delete(`/api/sessions/${session?.id}/`, { business: business.id }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['dashboard', business.id] })
      toList(`${session?.title} was deleted. Its existing bookings stay.`)
    },
  })
  const errors = fieldErrors(save.error)
  const others = Object.entries(errors).filter(([key]) => !(key in fields) && !key.startsWith('schedule'))

  function submit(event: FormEvent) {
    event.preventDefault()
    const { schedule } = scheduleFrom(draft)
    if (schedule && schedule.weekly.length === 0) {
      setNoTimes(true)
      return
    }
    setNoTimes(false)
    save.mutate()
  }

  return (
    <>
      <PageHeader title={session ? `Edit ${session.title}` : 'New session'} />
      <BackLink />
      <form onSubmit={submit} noValidate className="space-y-6">
        {noTimes ? (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
          >
            A group class needs at least one weekly time: add one in the schedule below.
          </div>
        ) : save.error ? (
          <ErrorAlert error={save.error} />
        ) : null}
        {others.length > 0 ? (
          <ul className="list-disc space-y-1 pl-5 text-sm text-red-700">
            {others.map(([key, message]) => (
              <li key={key}>
                {key === 'non_field_errors' ? '' : `${key}: `}
                {message}
              </li>
            ))}
          </ul>
        ) : null}
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Details</h2>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <TextField
                label="Title"
                required
                maxLength={200}
                value={fields.title}
                onChange={set('title')}
                error={errors.title}
              />
            </div>
            <div className="sm:col-span-2">
              <TextArea
                label="Description"
                rows={4}
                value={fields.description}
                onChange={set('description')}
                error={errors.description}
              />
            </div>
            <TextField
              label="Duration (minutes)"
              type="number"
              inputMode="numeric"
              min={5}
              max={1440}
              step={5}
              required
              value={fields.duration}
              onChange={set('duration')}
              error={errors.duration}
              hint="From 5 minutes to 24 hours."
            />
            <TextField
              label={`Price (${business.currency})`}
              inputMode="decimal"
              required
              value={fields.price}
              onChange={set('price')}
              error={errors.price}
              hint="For example 25.00; 0 for free."
            />
            <TextField
              label="Max participants"
              type="number"
              inputMode="numeric"
              min={1}
              max={10000}
              required
              value={fields.max_participants}
              onChange={set('max_participants')}
              error={errors.max_participants}
              hint="1 for one-to-one sessions."
            />
            <SelectField label="Status" value={fields.status} onChange={set('status')} error={errors.status}>
              <option value="active">Active: open for booking</option>
              <option value="inactive">Inactive: hidden from customers</option>
            </SelectField>
            <div className="sm:col-span-2">
              <TextField
                label="Image URL"
                type="url"
                inputMode="url"
                placeholder="https://"
                value={fields.image_url}
                onChange={set('image_url')}
                error={errors.image_url}
                hint="Optional: a picture shown in the catalog."
              />
            </div>
          </div>
        </Card>
        <ScheduleEditor
          draft={draft}
          onChange={setDraft}
          errors={
            noTimes
              ? { schedule: 'Add at least one weekly time, or choose "Any time (1:1)".' }
              : save.isPending
                ? {}
                : errors
          }
          order={order}
        />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" busy={save.isPending}>
            {session ? 'Save changes' : 'Create session'}
          </Button>
          <Link
            to={{ pathname: '/dashboard/sessions', search }}
            className={`inline-flex min-h-10 items-center rounded-md px-4 text-sm font-semibold text-indigo-800 hover:bg-indigo-50 ${FOCUS}`}
          >
            Cancel
          </Link>
        </div>
      </form>
      {session ? (
        <Card className="mt-8 border-red-200">
          <h2 className="mb-1 text-lg font-semibold text-slate-900">Delete this session</h2>
          <p className="mb-4 text-sm text-slate-700">
            It disappears from the catalog. Existing bookings stay and can still be read. Deactivating it
            hides it but keeps it.
          </p>
          <div className="space-y-3">
            <ActionError error={remove.error} power={power} />
            <ConfirmButton
              question={`Delete ${session.title}?`}
              confirm="Yes, delete"
              keep="Keep it"
              busy={remove.isPending}
              onConfirm={() => remove.mutate()}
            >
              Delete session
            </ConfirmButton>
          </div>
        </Card>
      ) : null}
    </>
  )
}
