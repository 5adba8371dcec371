// The customer's class bookings, upcoming (soonest first) or past (latest first), with "Cancel" on
// the pending and confirmed upcoming ones.
import { useId } from 'react'
import { Link } from 'react-router'
import type { Booking } from '../../api/types'
import { EmptyState, FOCUS, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatDuration, formatMoney } from '../../ui/format'
import { CancellableRow } from './CancellableRow'
import { rowsOf, usePagedList } from './lists'
import { PagedList } from './PagedList'

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
      <PagedList
        list={list}
        loading="Loading your bookings…"
        empty={
          rows.length === 0 ? (
            <EmptyState title={when === 'upcoming' ? 'No upcoming classes' : 'No past classes yet'}>
              {when === 'upcoming' ? (
                <Link to="/" className={`rounded font-semibold text-indigo-800 underline ${FOCUS}`}>
                  Find a class
                </Link>
              ) : null}
            </EmptyState>
          ) : null
        }
      >
        {rows.map((booking) => (
          <BookingRow key={booking.id} booking={booking} cancellable={when === 'upcoming'} />
        ))}
      </PagedList>
    </section>
  )
}

function BookingRow({ booking, cancellable }: { booking: Booking; cancellable: boolean }) {
  return (
    <CancellableRow
      what="booking"
      path={`/api/bookings/${booking.id}/cancel/`}
      refresh={[['bookings'], ['sessions', 'detail', booking.session.id]]}
      status={booking.status}
      cancellable={cancellable}
    >
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
    </CancellableRow>
  )
}
