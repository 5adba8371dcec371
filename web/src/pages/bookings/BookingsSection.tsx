// The customer's class bookings, upcoming (soonest first) or past (latest first), with "Cancel" on
// the pending and confirmed upcoming ones.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useRef } from 'react'
import { Link } from 'react-router'
import { api } from '../../api/client'
import type { Booking } from '../../api/types'
import { Button, EmptyState, ErrorAlert, FOCUS, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatDuration, formatMoney } from '../../ui/format'
import { ConfirmCancel } from './ConfirmCancel'
import { rowsOf, usePagedList } from './lists'

export const BOOKINGS = ['bookings', 'mine'] as const

export function BookingsSection({
  title,
  when,
  now,
}: {
  title: string
  when: 'upcoming' | 'past'
  now: string
}) {
  const headingId = useId()
  const list = usePagedList<Booking>(
    [...BOOKINGS, when],
    '/api/bookings/my_bookings/',
    when === 'upcoming' ? { date_from: now } : { date_to: now },
  )
  // The API lists bookings newest-made first; people read them by date.
  const rows = rowsOf(list.data).sort((a, b) =>
    when === 'upcoming'
      ? a.booking_date.localeCompare(b.booking_date)
      : b.booking_date.localeCompare(a.booking_date),
  )

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-xl font-semibold text-slate-900">
        {title}
      </h2>
      {list.isPending ? (
        <p className="text-sm text-slate-700" role="status">
          Loading your bookings…
        </p>
      ) : list.isError && !list.data ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={when === 'upcoming' ? 'No upcoming classes' : 'No past classes yet'}>
          {when === 'upcoming' ? (
            <Link to="/" className={`rounded font-semibold text-indigo-800 underline ${FOCUS}`}>
              Find a class
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {rows.map((booking) => (
            <BookingRow key={booking.id} booking={booking} cancellable={when === 'upcoming'} />
          ))}
        </ul>
      )}
      {list.hasNextPage ? (
        <div>
          <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </section>
  )
}

function BookingRow({ booking, cancellable }: { booking: Booking; cancellable: boolean }) {
  const client = useQueryClient()
  const row = useRef<HTMLLIElement>(null)
  const cancel = useMutation({
    mutationFn: () => api.post<Booking>(`/api/bookings/${booking.id}/cancel/`),
    // The question goes away with the row's open status: the focus stays on the row.
    onSuccess: () => row.current?.focus(),
    onSettled: () => {
      client.invalidateQueries({ queryKey: ['bookings'] })
      client.invalidateQueries({ queryKey: ['sessions', 'detail', booking.session.id] })
    },
  })
  const open = booking.status === 'pending' || booking.status === 'confirmed'
  return (
    <li
      ref={row}
      tabIndex={-1}
      className="flex flex-col gap-3 p-4 outline-none sm:flex-row sm:items-center sm:justify-between"
    >
      {cancel.isSuccess ? (
        <p role="status" className="sr-only">
          Booking cancelled.
        </p>
      ) : null}
      <div className="min-w-0">
        <Link
          to={`/sessions/${booking.session.id}`}
          className={`rounded font-semibold text-indigo-800 underline-offset-2 hover:underline ${FOCUS}`}
        >
          {booking.session.title}
        </Link>
        <p className="mt-1 text-sm text-slate-700">
          <time dateTime={booking.booking_date}>{formatDateTime(booking.booking_date)}</time> ·{' '}
          {formatDuration(booking.session.duration)}
        </p>
        <p className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          <StatusBadge status={booking.status} />
          <span className="font-medium text-slate-900">{formatMoney(booking.amount, booking.currency)}</span>
        </p>
      </div>
      {cancellable && open ? (
        <ConfirmCancel
          question="Cancel this booking?"
          confirmLabel="Yes, cancel booking"
          keepLabel="Keep booking"
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() => cancel.mutate()}
        />
      ) : null}
    </li>
  )
}
