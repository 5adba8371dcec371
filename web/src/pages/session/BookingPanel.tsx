// Booking a class: its slots in two-week windows, grouped by day in the business's time zone, each
// a "Book 09:00" button with the seats left, or the waiting list of a full one; for a class without
// a schedule, a date-and-time field. Anonymous visitors get a sign-in link that brings them back; a
// creator sees a note instead.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { Link, useLocation } from 'react-router'
import { ApiError, api } from '../../api/client'
import { describeError, fieldErrors } from '../../api/errors'
import type {
  Booking,
  Session as CatalogSession,
  DirectoryBusiness,
  Slot,
  WaitlistEntry,
} from '../../api/types'
import { useAuth } from '../../auth/session'
import { Button, ButtonLink, FOCUS, Notice } from '../../ui/controls'
import { formatDay } from '../../ui/format'
import { TextField } from '../../ui/forms'
import { addDays, browserZone, clockTime, dayLabel, localDay } from '../catalog/time'
import { entryForSlot, useActiveEntries, WAITLIST } from '../waitlist/entries'
import { SlotItem } from './SlotItem'

const WINDOW_DAYS = 14

const slotsKey = (id: string) => ['sessions', 'detail', id, 'slots'] as const

/** What the last request on the panel did, announced in its live region. */
type Outcome =
  | { kind: 'booked'; start: string }
  | { kind: 'joined'; entry: WaitlistEntry }
  | { kind: 'left'; start: string }

/** "2026-12-09T18:30": the datetime-local value of an instant in the browser's zone. */
function localInputValue(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
  return shifted.toISOString().slice(0, 16)
}

function groupByDay(slots: Slot[], timeZone?: string): [string, Slot[]][] {
  const days = new Map<string, Slot[]>()
  for (const slot of slots) {
    const day = localDay(slot.start, timeZone)
    days.set(day, [...(days.get(day) ?? []), slot])
  }
  return [...days.entries()]
}

export function BookingPanel({
  session,
  business,
}: {
  session: CatalogSession
  business: DirectoryBusiness | undefined
}) {
  const { user, loading } = useAuth()
  const location = useLocation()
  const client = useQueryClient()
  const timeZone = business?.timezone
  const scheduled = session.schedule !== null
  const [windowIndex, setWindowIndex] = useState(0)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [lastAction, setLastAction] = useState<'book' | 'join' | 'leave'>('book')
  const [when, setWhen] = useState('')
  const [whenError, setWhenError] = useState<string | undefined>()
  const headingId = useId()

  const today = localDay(new Date(), timeZone)
  const from = windowIndex === 0 ? undefined : addDays(today, WINDOW_DAYS * windowIndex)
  const to = from ? addDays(from, WINDOW_DAYS - 1) : undefined
  const slots = useQuery({
    queryKey: [...slotsKey(session.id), from ?? 'today'],
    queryFn: async ({ signal }) =>
      (await api.get<Slot[]>(`/api/sessions/${session.id}/slots/`, { query: { from, to }, signal })).data,
    placeholderData: (previous) => previous,
  })

  const entries = useActiveEntries(user !== null)
  const refresh = () => {
    client.invalidateQueries({ queryKey: slotsKey(session.id) })
    client.invalidateQueries({ queryKey: ['bookings'] })
    client.invalidateQueries({ queryKey: WAITLIST })
  }
  const starting = (action: 'book' | 'join' | 'leave') => () => {
    setLastAction(action)
    setOutcome(null)
  }

  const book = useMutation({
    mutationFn: async (start: string) =>
      (await api.post<Booking>('/api/bookings/', { session: session.id, booking_date: start })).data,
    onMutate: starting('book'),
    onSuccess: (booking) => {
      setOutcome({ kind: 'booked', start: booking.booking_date })
      setWhen('')
    },
    onSettled: refresh,
  })
  const join = useMutation({
    mutationFn: async (start: string) =>
      (
        await api.post<WaitlistEntry>(`/api/sessions/${session.id}/waitlist/`, {
          booking_date: start,
        })
      ).data,
    onMutate: starting('join'),
    onSuccess: (entry) => setOutcome({ kind: 'joined', entry }),
    onSettled: refresh,
  })
  const leave = useMutation({
    mutationFn: (entry: WaitlistEntry) => api.delete(`/api/waitlist/${entry.id}/`),
    onMutate: starting('leave'),
    onSuccess: (_, entry) => setOutcome({ kind: 'left', start: entry.booking_date }),
    onSettled: refresh,
  })

  const isOwn = user !== null && user.id === session.creator.id
  const canBook = user !== null && !isOwn && session.status === 'active'
  const loginLink = `/login?next=${encodeURIComponent(location.pathname)}`
  const signedOut = !user && !loading && session.status === 'active'
  const windowStart = from ?? today
  const windowEnd = to ?? addDays(today, WINDOW_DAYS - 1)
  const zoneNote =
    timeZone && timeZone !== browserZone() ? `Times are in ${timeZone}, where the class takes place.` : null
  const bookError = book.error ? (fieldErrors(book.error).booking_date ?? describeError(book.error)) : null
  const waitError = lastAction === 'join' ? join.error : lastAction === 'leave' ? leave.error : null
  const actionError = waitError
    ? (fieldErrors(waitError).booking_date ?? describeError(waitError))
    : lastAction === 'book' && !whenErrorFromServer(book.error, scheduled)
      ? bookError
      : null
  const pendingStart = book.isPending ? book.variables : undefined
  const working = book.isPending || join.isPending || leave.isPending

  /** The request under way on one slot, if any. */
  function busyOn(start: string) {
    if (pendingStart === start) return 'book'
    if (join.isPending && join.variables === start) return 'join'
    if (leave.isPending && leave.variables.booking_date === start) return 'leave'
    return null
  }

  function submitWhen(event: FormEvent) {
    event.preventDefault()
    if (!when) {
      setWhenError('Choose a date and time first.')
      return
    }
    const instant = new Date(when)
    if (Number.isNaN(instant.getTime())) {
      setWhenError('That date and time is not complete.')
      return
    }
    if (instant.getTime() <= Date.now()) {
      setWhenError('Choose a time in the future.')
      return
    }
    setWhenError(undefined)
    book.mutate(instant.toISOString())
  }

  const list = slots.data ?? []
  const groups = groupByDay(list, timeZone)

  return (
    <section
      aria-labelledby={headingId}
      className="h-fit rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 lg:sticky lg:top-6"
    >
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        {scheduled ? 'Upcoming dates' : 'Book a time'}
      </h2>
      {zoneNote ? <p className="mt-1 text-sm text-slate-700">{zoneNote}</p> : null}

      {session.status !== 'active' ? (
        <p className="mt-3 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
          This class is not open for booking right now.
        </p>
      ) : null}
      {isOwn ? (
        <p className="mt-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          This is your own class: creators cannot book their own sessions. Your customers book it here.
        </p>
      ) : null}
      {!user && !loading ? (
        <div className="mt-3 flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-3 py-3">
          <p className="text-sm text-indigo-950">Sign in to book a place, or to wait for one.</p>
          <ButtonLink to={loginLink}>Sign in to book</ButtonLink>
        </div>
      ) : null}

      <div className="mt-4 flex flex-col gap-3" aria-live="polite">
        {outcome?.kind === 'booked' ? (
          <Notice>
            <p>
              <strong>Booked!</strong> {formatDay(outcome.start, timeZone)},{' '}
              {clockTime(outcome.start, timeZone)}: your booking is pending confirmation.
            </p>
            <p className="mt-1">
              <Link to="/bookings" className={`rounded font-semibold underline ${FOCUS}`}>
                See my bookings
              </Link>
            </p>
          </Notice>
        ) : null}
        {outcome?.kind === 'joined' ? (
          <Notice>
            <p>
              <strong>You're on the waiting list — position {outcome.entry.position}.</strong>{' '}
              {formatDay(outcome.entry.booking_date, timeZone)},{' '}
              {clockTime(outcome.entry.booking_date, timeZone)}: we'll email you when a seat is offered to
              you.
            </p>
            <p className="mt-1">
              <Link to="/waitlist" className={`rounded font-semibold underline ${FOCUS}`}>
                See my waiting list
              </Link>
            </p>
          </Notice>
        ) : null}
        {outcome?.kind === 'left' ? (
          <Notice tone="info">
            You left the waiting list for {formatDay(outcome.start, timeZone)},{' '}
            {clockTime(outcome.start, timeZone)}.
          </Notice>
        ) : null}
        {actionError ? (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
          >
            {actionError}
          </div>
        ) : null}
      </div>

      {!scheduled && canBook ? (
        <form className="mt-4 flex flex-col gap-3" onSubmit={submitWhen} noValidate>
          <TextField
            label="Choose a date and time"
            type="datetime-local"
            value={when}
            min={localInputValue(new Date())}
            onChange={(event) => {
              setWhen(event.target.value)
              setWhenError(undefined)
            }}
            hint={`Any future time, in your own time zone (${browserZone()}).`}
            error={
              whenError ?? (whenErrorFromServer(book.error, scheduled) ? (bookError ?? undefined) : undefined)
            }
          />
          <Button
            type="submit"
            busy={
              book.isPending &&
              pendingStart !== undefined &&
              !list.some((slot) => slot.start === pendingStart)
            }
          >
            Book
          </Button>
        </form>
      ) : null}

      {scheduled ? (
        <p className="mt-4 text-sm font-medium text-slate-800">
          {dayLabel(windowStart)} – {dayLabel(windowEnd)}
        </p>
      ) : null}

      <div className="mt-4" aria-busy={slots.isFetching || undefined}>
        {slots.isPending ? (
          <p className="text-sm text-slate-700" role="status">
            Loading dates…
          </p>
        ) : slots.isError ? (
          <div
            role="alert"
            className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
          >
            <p>{describeError(slots.error)}</p>
            <Button variant="secondary" onClick={() => slots.refetch()}>
              Try again
            </Button>
          </div>
        ) : list.length === 0 ? (
          scheduled ? (
            <p className="text-sm text-slate-700">No dates in these two weeks. Try later dates.</p>
          ) : null
        ) : (
          <>
            {!scheduled ? (
              <h3 className="mb-2 text-sm font-semibold text-slate-900">Times already taken</h3>
            ) : null}
            <ol className="flex flex-col gap-4">
              {groups.map(([day, daySlots]) => (
                <li key={day}>
                  <h3 className="mb-2 text-sm font-semibold text-slate-900">
                    {formatDay(daySlots[0]?.start ?? day, timeZone)}
                  </h3>
                  <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-2">
                    {daySlots.map((slot) => {
                      const open = slot.scheduled || !scheduled
                      return (
                        <SlotItem
                          key={slot.start}
                          slot={slot}
                          timeZone={timeZone}
                          actions={{
                            canBook: canBook && open,
                            loginLink: signedOut && open ? loginLink : null,
                            entry: entryForSlot(entries, session.id, slot.start),
                            busy: busyOn(slot.start),
                            disabled: working,
                            focus:
                              outcome !== null &&
                              outcome.kind !== 'booked' &&
                              outcomeStart(outcome) === slot.start,
                            onBook: () => book.mutate(slot.start),
                            onJoin: () => join.mutate(slot.start),
                            onLeave: (entry) => leave.mutate(entry),
                          }}
                        />
                      )
                    })}
                  </ul>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>

      {scheduled ? (
        <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-200 pt-4">
          {windowIndex > 0 ? (
            <Button variant="secondary" onClick={() => setWindowIndex((index) => index - 1)}>
              Earlier dates
            </Button>
          ) : null}
          <Button variant="secondary" onClick={() => setWindowIndex((index) => index + 1)}>
            Later dates
          </Button>
        </div>
      ) : null}
    </section>
  )
}

/** The slot the outcome is about. */
function outcomeStart(outcome: Outcome): string {
  return outcome.kind === 'joined' ? outcome.entry.booking_date : outcome.start
}

/** A validation error on booking_date of a typed-in time shows next to the field, not in the alert. */
function whenErrorFromServer(error: unknown, scheduled: boolean): boolean {
  return !scheduled && error instanceof ApiError && Boolean(fieldErrors(error).booking_date)
}
