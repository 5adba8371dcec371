// My bookings: the signed-in customer's classes (upcoming and past), their appointments, and the
// calendar feed that puts both in their own calendar app; a link to their waiting list, and the
// confirmation of a seat just claimed from it.
import { useState } from 'react'
import { useLocation } from 'react-router'
import { useAuth } from '../../auth/session'
import { ButtonLink, Notice, PageHeader } from '../../ui/controls'
import { formatDateTime } from '../../ui/format'
import { useTitle } from '../../ui/title'
import { useDirectory } from '../catalog/directory'
import type { ClaimedState } from '../waitlist/entries'
import { AppointmentsSection } from './AppointmentsSection'
import { BookingsSection } from './BookingsSection'
import { CalendarFeed } from './CalendarFeed'

export default function MyBookingsPage() {
  useTitle('My bookings')
  const { user } = useAuth()
  // One instant splits upcoming from past for the life of the page.
  const [now] = useState(() => new Date().toISOString())
  const directory = useDirectory()
  const businesses = new Map((directory.data ?? []).map((business) => [business.id, business]))
  // A seat just claimed from the waiting list comes here with what it was.
  const claimed = (useLocation().state as ClaimedState | null)?.claimed

  return (
    <div>
      <PageHeader title="My bookings">
        <ButtonLink to="/waitlist" variant="secondary">
          Waiting list
        </ButtonLink>
      </PageHeader>
      {claimed ? (
        <div className="mb-6">
          <Notice>
            <strong>Seat claimed!</strong> {claimed.title}, {formatDateTime(claimed.start)}: your booking is
            pending confirmation.
          </Notice>
        </div>
      ) : null}
      <div className="grid gap-10 lg:grid-cols-[minmax(0,1fr)_360px]">
        <div className="flex min-w-0 flex-col gap-10">
          <BookingsSection title="Upcoming" when="upcoming" now={now} />
          <BookingsSection title="Past" when="past" now={now} />
          {user ? <AppointmentsSection now={now} userId={user.id} businesses={businesses} /> : null}
        </div>
        <div>
          <CalendarFeed />
        </div>
      </div>
    </div>
  )
}
