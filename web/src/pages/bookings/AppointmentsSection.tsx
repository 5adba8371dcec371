// The customer's appointments (reservations): upcoming soonest first, then past ones, each with its
// business, who with and when in the business's time zone; the open upcoming ones can be cancelled.
import { useId } from 'react'
import { Link } from 'react-router'
import type { DirectoryBusiness, Reservation } from '../../api/types'
import { FOCUS, StatusBadge } from '../../ui/controls'
import { formatDay, personName } from '../../ui/format'
import { clockTime } from '../catalog/time'
import { CancellableRow } from './CancellableRow'
import { rowsOf, usePagedList } from './lists'
import { PagedList } from './PagedList'

export const RESERVATIONS = ['reservations', 'mine'] as const

export function AppointmentsSection({
  now,
  userId,
  businesses,
}: {
  now: string
  userId: string
  businesses: Map<string, DirectoryBusiness>
}) {
  const headingId = useId()
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id={headingId} className="text-xl font-semibold text-slate-900">
          Appointments
        </h2>
        <Link
          to="/appointments"
          className={`rounded text-sm font-semibold text-indigo-800 underline ${FOCUS}`}
        >
          Book an appointment
        </Link>
      </div>
      <AppointmentList when="upcoming" now={now} userId={userId} businesses={businesses} />
      <AppointmentList when="past" now={now} userId={userId} businesses={businesses} />
    </section>
  )
}

function AppointmentList({
  when,
  now,
  userId,
  businesses,
}: {
  when: 'upcoming' | 'past'
  now: string
  userId: string
  businesses: Map<string, DirectoryBusiness>
}) {
  const headingId = useId()
  const list = usePagedList<Reservation>(
    [...RESERVATIONS, when],
    '/api/reservations/',
    when === 'upcoming'
      ? { date_from: now, ordering: 'start_time' }
      : { date_to: now, ordering: '-start_time' },
  )
  // Staff get their business's reservations from this list: keep the caller's own.
  const rows = rowsOf(list.data).filter((reservation) => reservation.customer.id === userId)
  const title = when === 'upcoming' ? 'Upcoming appointments' : 'Past appointments'

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <PagedList
        list={list}
        loading="Loading your appointments…"
        empty={
          rows.length === 0 ? (
            <p className="text-sm text-slate-700">
              {when === 'upcoming' ? 'No upcoming appointments.' : 'No past appointments.'}
            </p>
          ) : null
        }
      >
        {rows.map((reservation) => (
          <AppointmentRow
            key={reservation.id}
            reservation={reservation}
            business={businesses.get(reservation.business.id)}
            cancellable={when === 'upcoming'}
          />
        ))}
      </PagedList>
    </section>
  )
}

function staffName(reservation: Reservation, business: DirectoryBusiness | undefined): string | null {
  if (!reservation.staff) return null
  const staff = reservation.staff
  const known = business?.staff.find((member) => member.id === staff.id)
  return known ? personName(known) : staff.username
}

function AppointmentRow({
  reservation,
  business,
  cancellable,
}: {
  reservation: Reservation
  business: DirectoryBusiness | undefined
  cancellable: boolean
}) {
  const zone = business?.timezone
  const staff = staffName(reservation, business)
  return (
    <CancellableRow
      what="appointment"
      path={`/api/reservations/${reservation.id}/cancel/`}
      refresh={[['reservations'], ['availability']]}
      status={reservation.status}
      cancellable={cancellable}
    >
      <p className="font-semibold text-slate-900">{reservation.business.name}</p>
      <p className="mt-1 text-sm text-slate-700">
        <time dateTime={reservation.start_time}>
          {formatDay(reservation.start_time, zone)}, {clockTime(reservation.start_time, zone)}–
          {clockTime(reservation.end_time, zone)}
        </time>
        {zone ? <span> ({zone})</span> : null}
      </p>
      <p className="text-sm text-slate-700">{staff ? `With ${staff}` : 'With anyone available'}</p>
      {reservation.notes ? (
        <p className="mt-1 whitespace-pre-line text-sm text-slate-700">Notes: {reservation.notes}</p>
      ) : null}
      <p className="mt-2">
        <StatusBadge status={reservation.status} />
      </p>
    </CancellableRow>
  )
}
