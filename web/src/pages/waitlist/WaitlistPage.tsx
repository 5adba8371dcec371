// The signed-in customer's waiting lists: seats offered to them first (with the deadline and a live
// "expires in", and "Claim your seat"), then their places in line, then the entries that are over.
// The offer email links here with ?entry=<id>: that entry is marked, scrolled to and focused.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ApiError, api } from '../../api/client'
import { describeError } from '../../api/errors'
import type { Booking, WaitlistEntry, WaitlistStatus } from '../../api/types'
import { Button, EmptyState, FOCUS, Notice, PageHeader } from '../../ui/controls'
import { formatDateTime, formatDuration } from '../../ui/format'
import { useTitle } from '../../ui/title'
import { ConfirmCancel } from '../bookings/ConfirmCancel'
import { rowsOf, usePagedList } from '../bookings/lists'
import { PagedList } from '../bookings/PagedList'
import { type ClaimedState, isActive, timeLeft, WAITLIST } from './entries'

const RANK: Record<WaitlistStatus, number> = { offered: 0, waiting: 1, claimed: 2, expired: 2, left: 2 }

const BADGES: Record<WaitlistStatus, string> = {
  offered: 'bg-emerald-100 text-emerald-900',
  waiting: 'bg-indigo-100 text-indigo-900',
  claimed: 'bg-slate-200 text-slate-900',
  expired: 'bg-amber-100 text-amber-900',
  left: 'bg-slate-200 text-slate-900',
}

const LABELS: Record<WaitlistStatus, string> = {
  offered: 'Seat offered',
  waiting: 'Waiting',
  claimed: 'Claimed',
  expired: 'Offer ran out',
  left: 'Left',
}

/** Offers first, then places in line by date, then the rest as the API lists them (newest first). */
function ordered(entries: WaitlistEntry[]): WaitlistEntry[] {
  return [...entries].sort(
    (a, b) =>
      RANK[a.status] - RANK[b.status] || (isActive(a) ? a.booking_date.localeCompare(b.booking_date) : 0),
  )
}

/** The current time, moving every 15 seconds: enough for a deadline counted in minutes. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

export default function WaitlistPage() {
  useTitle('Waiting list')
  const [params] = useSearchParams()
  const target = params.get('entry')
  const now = useNow()
  const headingId = useId()
  const list = usePagedList<WaitlistEntry>([...WAITLIST, 'all'], '/api/waitlist/', {})
  const rows = ordered(rowsOf(list.data))
  const targetMissing =
    target !== null && list.isSuccess && !list.hasNextPage && !rows.some((entry) => entry.id === target)

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Waiting list">
        <Link to="/bookings" className={`rounded text-sm font-semibold text-indigo-800 underline ${FOCUS}`}>
          My bookings
        </Link>
      </PageHeader>
      <p className="mb-6 text-slate-700">
        When a class is full, join its waiting list on the class page. If a seat frees up, the first person in
        line is offered it by email: claim it before the offer runs out, or it goes to the next person.
      </p>
      {targetMissing ? (
        <div className="mb-4">
          <Notice tone="info">
            That entry is not among yours. Check that you are signed in as the person the email was sent to.
          </Notice>
        </div>
      ) : null}
      <section aria-labelledby={headingId} className="flex flex-col gap-3">
        <h2 id={headingId} className="sr-only">
          Your entries
        </h2>
        <PagedList
          list={list}
          loading="Loading your waiting list…"
          empty={
            rows.length === 0 ? (
              <EmptyState title="You are not waiting for any class">
                <Link to="/" className={`rounded font-semibold text-indigo-800 underline ${FOCUS}`}>
                  Find a class
                </Link>
              </EmptyState>
            ) : null
          }
        >
          {rows.map((entry) => (
            <EntryRow key={entry.id} entry={entry} now={now} highlighted={entry.id === target} />
          ))}
        </PagedList>
      </section>
    </div>
  )
}

/** The claim's refusals in words for this page: an offer no longer there is said plainly. */
function claimError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'invalid_transition')
    return 'No seat is offered to you on this entry any more.'
  return describeError(error)
}

function EntryRow({ entry, now, highlighted }: { entry: WaitlistEntry; now: number; highlighted: boolean }) {
  const client = useQueryClient()
  const navigate = useNavigate()
  const row = useRef<HTMLLIElement>(null)
  const deadlineId = useId()

  // The entry the email links to: brought into view and focused once it shows.
  useEffect(() => {
    if (!highlighted) return
    row.current?.scrollIntoView({ block: 'center' })
    row.current?.focus({ preventScroll: true })
  }, [highlighted])

  const refresh = () => {
    client.invalidateQueries({ queryKey: WAITLIST })
    client.invalidateQueries({ queryKey: ['sessions', 'detail', entry.session.id] })
  }
  const claim = useMutation({
    mutationFn: async () => (await api.post<Booking>(`/api/waitlist/${entry.id}/claim/`)).data,
    onSuccess: (booking) => {
      client.invalidateQueries({ queryKey: ['bookings'] })
      const state: ClaimedState = { claimed: { title: entry.session.title, start: booking.booking_date } }
      navigate('/bookings', { state })
    },
    onSettled: refresh,
  })
  const leave = useMutation({
    mutationFn: () => api.delete(`/api/waitlist/${entry.id}/`),
    onSuccess: () => row.current?.focus(),
    onSettled: refresh,
  })

  const expiresAt = entry.offer_expires_at
  const offered = entry.status === 'offered'
  const ranOut = offered && expiresAt !== null && new Date(expiresAt).getTime() <= now
  const frame = offered && !ranOut ? 'border-l-4 border-l-emerald-600 bg-emerald-50' : ''
  const mark = highlighted ? 'ring-2 ring-inset ring-indigo-600' : ''

  return (
    <li
      ref={row}
      tabIndex={-1}
      aria-current={highlighted ? 'true' : undefined}
      className={`flex flex-col gap-3 p-4 outline-none sm:flex-row sm:items-start sm:justify-between ${frame} ${mark}`}
    >
      {leave.isSuccess ? (
        <p role="status" className="sr-only">
          You left the waiting list.
        </p>
      ) : null}
      <div className="min-w-0">
        <Link
          to={`/sessions/${entry.session.id}`}
          className={`rounded font-semibold text-indigo-800 underline-offset-2 hover:underline ${FOCUS}`}
        >
          {entry.session.title}
        </Link>
        <p className="mt-1 text-sm text-slate-700">
          <time dateTime={entry.booking_date}>{formatDateTime(entry.booking_date)}</time> ·{' '}
          {formatDuration(entry.session.duration)}
        </p>
        <p className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          <span
            className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ${BADGES[entry.status]}`}
          >
            {ranOut ? LABELS.expired : LABELS[entry.status]}
          </span>
          {entry.status === 'waiting' && entry.position !== null ? (
            <span className="font-medium text-slate-900">Position {entry.position} in line</span>
          ) : null}
        </p>
        {offered && expiresAt ? (
          <p id={deadlineId} className="mt-2 text-sm font-medium text-emerald-950">
            {ranOut ? (
              <>
                This offer ran out at <time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>.
              </>
            ) : (
              <>
                A seat is held for you until <time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>{' '}
                (expires in {timeLeft(expiresAt, now)}).
              </>
            )}
          </p>
        ) : null}
      </div>
      {isActive(entry) ? (
        <div className="flex flex-col items-start gap-2 sm:items-end">
          {offered && !ranOut ? (
            <Button busy={claim.isPending} aria-describedby={deadlineId} onClick={() => claim.mutate()}>
              Claim your seat
            </Button>
          ) : null}
          {claim.error ? (
            <p role="alert" className="max-w-xs text-sm text-red-800">
              {claimError(claim.error)}
            </p>
          ) : null}
          <ConfirmCancel
            label="Leave"
            question="Leave this waiting list?"
            confirmLabel="Yes, leave"
            keepLabel="Stay in line"
            busy={leave.isPending}
            error={leave.error}
            onConfirm={() => leave.mutate()}
          />
        </div>
      ) : null}
    </li>
  )
}
