// The business's bookings (GET /api/bookings/ with the business header), filtered by status, session
// and dates, with Confirm / Complete / Cancel per row and "Load more" through the cursor.
import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client'
import type { Booking, Session } from '../../api/types'
import { EmptyState, PageHeader, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatMoney } from '../../ui/format'
import { SelectField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { useDashboard } from './business'
import { ListFilters, useFilters } from './filters'
import { ActionNotices, DataTable, ListStates, useBusinessList } from './lists'
import { LoadMore, TD } from './parts'
import { StatusActions, useStatusAction } from './StatusActions'
import { sessionsKey } from './sessions'

export function BookingsSection() {
  useTitle('Dashboard bookings')
  const { business, power } = useDashboard()
  const filters = useFilters({ status: '', session: '', date_from: '', date_to: '' })

  const sessions = useQuery({
    queryKey: [...sessionsKey(business.id), 'options'],
    queryFn: async () =>
      (
        await api.get<Session[]>('/api/sessions/', {
          business: business.id,
          query: { business: business.id, page_size: 100, ordering: 'title' },
        })
      ).data,
  })
  const { list, rows: bookings } = useBusinessList<Booking>(
    ['dashboard', business.id, 'bookings', filters.values],
    '/api/bookings/',
    { ...filters.values, page_size: 25 },
  )
  const { mutation: act, notice } = useStatusAction('bookings', business.id)

  return (
    <>
      <PageHeader title="Bookings" />
      <ListFilters label="Filter bookings" filters={filters}>
        <SelectField label="Session" value={filters.values.session} onChange={filters.set('session')}>
          <option value="">All sessions</option>
          {(sessions.data ?? []).map((session) => (
            <option key={session.id} value={session.id}>
              {session.title}
            </option>
          ))}
        </SelectField>
      </ListFilters>
      <ActionNotices notice={notice} error={act.error} power={power} />
      <ListStates
        query={list}
        loading="Loading bookings"
        what="the bookings"
        power={power}
        empty={
          bookings.length === 0 ? (
            <EmptyState title={filters.any ? 'No bookings match these filters.' : 'No bookings yet.'}>
              {filters.any
                ? 'Try another status, session or date range.'
                : 'Bookings appear here as customers make them.'}
            </EmptyState>
          ) : null
        }
      >
        <DataTable
          label="Bookings"
          width="min-w-[46rem]"
          columns={[
            'Customer',
            'Session',
            'Date',
            'Status',
            { name: 'Amount', className: 'text-right' },
            'Actions',
          ]}
        >
          {bookings.map((booking) => {
            const when = formatDateTime(booking.booking_date, business.timezone)
            return (
              <tr key={booking.id}>
                <td className={`${TD} font-medium`}>{booking.user.username}</td>
                <td className={TD}>{booking.session.title}</td>
                <td className={`${TD} whitespace-nowrap`}>{when}</td>
                <td className={TD}>
                  <StatusBadge status={booking.status} />
                </td>
                <td className={`${TD} whitespace-nowrap text-right tabular-nums`}>
                  {formatMoney(booking.amount, business.currency)}
                </td>
                <td className={TD}>
                  <StatusActions
                    status={booking.status}
                    id={booking.id}
                    what={`booking for ${booking.user.username} on ${when}`}
                    mutation={act}
                  />
                </td>
              </tr>
            )
          })}
        </DataTable>
        <LoadMore what="bookings" list={list} />
      </ListStates>
    </>
  )
}
