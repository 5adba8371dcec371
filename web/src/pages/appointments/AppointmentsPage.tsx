// Appointments: pick a business, a day, who with and how long; the free start times of that day
// (in the business's time zone) become buttons; choosing one opens a confirm panel that requests
// the reservation. Anyone can look; booking needs an account. The form lives in the query string
// so a sign-in brings the visitor back to the same choice.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ApiError, api } from '../../api/client'
import { describeError, fieldErrors } from '../../api/errors'
import type { Availability, DirectoryBusiness, Reservation } from '../../api/types'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, ErrorAlert, FOCUS, Loading, Notice } from '../../ui/controls'
import { formatDay, personName } from '../../ui/format'
import { SelectField, TextArea, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { useDirectory } from '../catalog/directory'
import { addDays, clockTime, dayLabel, localDay, openingLine } from '../catalog/time'

const LENGTHS = [30, 45, 60, 90] as const
const DEFAULT_LENGTH = 30

type Requested = { start: string; end: string; who: string; business: string; timeZone: string }

export default function AppointmentsPage() {
  useTitle('Book an appointment')
  const { user } = useAuth()
  const client = useQueryClient()
  const [params, setParams] = useSearchParams()
  const directory = useDirectory()
  const [chosen, setChosen] = useState<string | null>(null)
  const [notes, setNotes] = useState('')
  const [requested, setRequested] = useState<Requested | null>(null)
  const [taken, setTaken] = useState<unknown>(null)
  const confirmHeading = useRef<HTMLHeadingElement>(null)
  const timesHeading = useRef<HTMLHeadingElement>(null)
  const timesHeadingId = useId()

  const businesses = directory.data ?? []
  const businessParam = params.get('business') ?? ''
  const business: DirectoryBusiness | undefined = businesses.find(
    (entry) => entry.id === businessParam || entry.slug === businessParam,
  )
  const timeZone = business?.timezone
  const today = localDay(new Date(), timeZone)
  const date = params.get('date') || today
  const staffId = business?.staff.some((member) => member.id === params.get('staff'))
    ? (params.get('staff') ?? '')
    : ''
  const lengthParam = Number(params.get('duration'))
  const duration = (LENGTHS as readonly number[]).includes(lengthParam) ? lengthParam : DEFAULT_LENGTH
  const staffMember = business?.staff.find((member) => member.id === staffId)
  const who = staffMember ? personName(staffMember) : business ? `anyone at ${business.name}` : ''

  const availability = useQuery({
    queryKey: ['availability', business?.id, date, staffId, duration],
    queryFn: async ({ signal }) =>
      (
        await api.get<Availability>(`/api/businesses/${business?.id}/availability/`, {
          query: { date, staff: staffId || undefined, duration },
          signal,
        })
      ).data,
    enabled: Boolean(business),
  })

  const reserve = useMutation({
    mutationFn: async (start: string) => {
      const end = new Date(new Date(start).getTime() + duration * 60_000).toISOString()
      const body = {
        business: business?.id,
        start_time: start,
        end_time: end,
        notes,
        ...(staffId ? { staff: staffId } : {}),
      }
      return (await api.post<Reservation>('/api/reservations/', body)).data
    },
    onMutate: () => setTaken(null),
    onSuccess: (reservation) => {
      setRequested({
        start: reservation.start_time,
        end: reservation.end_time,
        who: staffMember ? personName(staffMember) : '',
        business: reservation.business.name,
        timeZone: timeZone ?? 'UTC',
      })
      setChosen(null)
      setNotes('')
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'slot_taken') {
        setTaken(error)
        setChosen(null)
        reserve.reset()
        // The confirm panel goes away: the focus returns to the (refreshed) free times.
        timesHeading.current?.focus()
      }
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: ['availability'] })
      client.invalidateQueries({ queryKey: ['reservations'] })
    },
  })

  // A new choice of business, day, person or length forgets the chosen time.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the inputs are the triggers
  useEffect(() => {
    setChosen(null)
    reserve.reset()
  }, [business?.id, date, staffId, duration])

  useEffect(() => {
    if (chosen) confirmHeading.current?.focus()
  }, [chosen])

  function change(key: 'business' | 'date' | 'staff' | 'duration', value: string) {
    setRequested(null)
    setTaken(null)
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        if (value) next.set(key, value)
        else next.delete(key)
        // Another business has other staff and maybe another time zone's "today".
        if (key === 'business') {
          next.delete('staff')
          next.delete('date')
        }
        return next
      },
      { replace: true },
    )
  }

  function choose(slot: string) {
    setRequested(null)
    setTaken(null)
    reserve.reset()
    setChosen(slot)
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (chosen) reserve.mutate(chosen)
  }

  const slots = availability.data?.slots ?? []
  const zone = availability.data?.timezone ?? timeZone
  const opening = openingLine(business?.opening_hours, date)
  const here = `/appointments?${params.toString()}`
  const notesError = fieldErrors(reserve.error).notes
  const errors = fieldErrors(reserve.error)
  const otherError =
    reserve.error && !notesError ? (Object.values(errors)[0] ?? describeError(reserve.error)) : null

  if (directory.isPending) return <Loading what="Loading businesses" />

  return (
    <div>
      <div className="mb-6">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Book an appointment</h1>
        <p className="mt-1 text-slate-700">
          Choose a place, a day and who with, then pick a free time.
          {user ? '' : ' Anyone can look; sign in to book.'}
        </p>
      </div>

      {directory.isError ? (
        <ErrorAlert error={directory.error} onRetry={() => directory.refetch()} />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_380px]">
          <div className="flex min-w-0 flex-col gap-6">
            <form
              aria-label="Appointment details"
              className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 sm:p-6"
              onSubmit={(event) => event.preventDefault()}
            >
              <div className="sm:col-span-2">
                <SelectField
                  label="Business"
                  value={business?.id ?? ''}
                  onChange={(event) => change('business', event.target.value)}
                >
                  <option value="">Choose a business</option>
                  {businesses.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.name}
                    </option>
                  ))}
                </SelectField>
              </div>
              {business ? (
                <>
                  <TextField
                    label="Date"
                    type="date"
                    value={date}
                    min={today}
                    onChange={(event) => change('date', event.target.value)}
                    hint={opening ?? undefined}
                  />
                  <SelectField
                    label="With"
                    value={staffId}
                    onChange={(event) => change('staff', event.target.value)}
                  >
                    <option value="">Anyone at {business.name}</option>
                    {business.staff.map((member) => (
                      <option key={member.id} value={member.id}>
                        {personName(member)}
                      </option>
                    ))}
                  </SelectField>
                  <SelectField
                    label="Length"
                    value={String(duration)}
                    onChange={(event) => change('duration', event.target.value)}
                  >
                    {LENGTHS.map((minutes) => (
                      <option key={minutes} value={minutes}>
                        {minutes} minutes
                      </option>
                    ))}
                  </SelectField>
                </>
              ) : null}
            </form>

            {requested ? (
              <Notice>
                <p>
                  <strong>Requested:</strong> {formatDay(requested.start, requested.timeZone)}{' '}
                  {clockTime(requested.start, requested.timeZone)}{' '}
                  {requested.who ? `with ${requested.who}` : `at ${requested.business}`}, pending
                  confirmation.
                </p>
                <p className="mt-1">
                  <Link to="/bookings" className={`rounded font-semibold underline ${FOCUS}`}>
                    See my bookings
                  </Link>
                </p>
              </Notice>
            ) : null}

            {business ? (
              <section aria-labelledby={timesHeadingId} className="flex flex-col gap-3">
                <div>
                  <h2
                    id={timesHeadingId}
                    ref={timesHeading}
                    tabIndex={-1}
                    className="text-xl font-semibold text-slate-900 outline-none"
                  >
                    Free times on {dayLabel(date)}
                  </h2>
                  <p className="mt-1 text-sm text-slate-700">
                    {opening ? `${opening} · ` : ''}Times in {zone} · {duration} minutes with {who}
                  </p>
                </div>
                {taken ? (
                  <div
                    role="alert"
                    className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
                  >
                    {describeError(taken)} The free times below are up to date.
                  </div>
                ) : null}
                <p role="status" className="sr-only">
                  {availability.isSuccess
                    ? `${slots.length} free ${slots.length === 1 ? 'time' : 'times'}`
                    : ''}
                </p>
                {availability.isPending ? (
                  <p className="text-sm text-slate-700">Loading free times…</p>
                ) : availability.isError ? (
                  <ErrorAlert error={availability.error} onRetry={() => availability.refetch()} />
                ) : slots.length === 0 ? (
                  <div className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center">
                    <p className="font-semibold text-slate-900">No free times on this day</p>
                    <p className="mt-1 text-sm text-slate-700">
                      {opening?.startsWith('Closed') ? `${opening}. ` : ''}Try another day
                      {staffId ? ' or anyone available' : ''}.
                    </p>
                    <Button
                      variant="secondary"
                      className="mt-3"
                      onClick={() => change('date', addDays(date, 1))}
                    >
                      Next day
                    </Button>
                  </div>
                ) : (
                  <ul className="grid grid-cols-4 gap-2 sm:grid-cols-5 md:grid-cols-6">
                    {slots.map((slot) => (
                      <li key={slot}>
                        <button
                          type="button"
                          aria-pressed={chosen === slot}
                          onClick={() => choose(slot)}
                          className={`min-h-10 w-full rounded-md border px-2 py-2 text-sm font-semibold ${FOCUS} ${
                            chosen === slot
                              ? 'border-indigo-700 bg-indigo-700 text-white'
                              : 'border-slate-300 bg-white text-slate-900 hover:border-indigo-600 hover:bg-indigo-50'
                          }`}
                        >
                          {clockTime(slot, zone)}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ) : (
              <p className="text-slate-700">Choose a business to see its free times.</p>
            )}
          </div>

          <div>
            {business && chosen ? (
              <section
                className="rounded-lg border border-indigo-200 bg-white p-4 shadow-sm sm:p-6 lg:sticky lg:top-6"
                aria-labelledby="confirm-heading"
              >
                <h2
                  id="confirm-heading"
                  ref={confirmHeading}
                  tabIndex={-1}
                  className="text-lg font-semibold text-slate-900 outline-none"
                >
                  Confirm your appointment
                </h2>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-slate-600">When</dt>
                  <dd className="text-slate-900">
                    {formatDay(chosen, zone)}, {clockTime(chosen, zone)}–
                    {clockTime(new Date(new Date(chosen).getTime() + duration * 60_000).toISOString(), zone)}{' '}
                    ({zone})
                  </dd>
                  <dt className="text-slate-600">With</dt>
                  <dd className="text-slate-900">
                    {staffMember ? personName(staffMember) : `Anyone at ${business.name}`}
                  </dd>
                  <dt className="text-slate-600">Where</dt>
                  <dd className="text-slate-900">{business.name}</dd>
                </dl>
                {user ? (
                  <form className="mt-4 flex flex-col gap-3" onSubmit={submit}>
                    <TextArea
                      label="Notes (optional)"
                      rows={3}
                      value={notes}
                      onChange={(event) => setNotes(event.target.value)}
                      error={notesError}
                      hint="Anything they should know beforehand."
                    />
                    {otherError ? (
                      <div
                        role="alert"
                        className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
                      >
                        {otherError}
                      </div>
                    ) : null}
                    <div className="flex flex-wrap gap-2">
                      <Button type="submit" busy={reserve.isPending}>
                        Request appointment
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => setChosen(null)}
                        disabled={reserve.isPending}
                      >
                        Change time
                      </Button>
                    </div>
                  </form>
                ) : (
                  <div className="mt-4 flex flex-col gap-2">
                    <p className="text-sm text-slate-700">
                      You need an account to book. After signing in you come back to this day.
                    </p>
                    <ButtonLink to={`/login?next=${encodeURIComponent(here)}`}>Sign in to book</ButtonLink>
                  </div>
                )}
              </section>
            ) : business ? (
              <div className="flex flex-col gap-3 rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
                <p>Pick a free time to see the details and book it.</p>
                {user ? null : (
                  <p>
                    <Link
                      to={`/login?next=${encodeURIComponent(here)}`}
                      className={`rounded font-semibold text-indigo-800 underline ${FOCUS}`}
                    >
                      Sign in to book
                    </Link>
                  </p>
                )}
              </div>
            ) : null}
          </div>
        </div>
      )}
    </div>
  )
}
