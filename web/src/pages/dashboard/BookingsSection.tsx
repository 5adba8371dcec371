// The business's bookings (GET /api/bookings/ with the business header), filtered by status, session
// and dates, with Confirm / Complete / Cancel per row and "Load more" through the cursor.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client'
import type { Booking, Session, Status } from '../../api/types'
import { Button, EmptyState, Loading, Notice, PageHeader, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatMoney } from '../../ui/format'
import { SelectField, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { useDashboard } from './business'
import { ActionError, FilterBar, LoadMore, ReadError, TableRegion, TD, TH } from './parts'
import { StatusActions, useStatusAction } from './StatusActions'
import { sessionsKey } from './sessions'

export const STATUS_OPTIONS: { value: Status; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
]

type Filters = { status: '' | Status; session: string; date_from: string; date_to: string }
const NO_FILTERS: Filters = { status: '', session: '', date_from: '', date_to: '' }

export function BookingsSection() {
  useTitle('Dashboard bookings')
  const { business, power } = useDashboard()
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }))

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
  const list = useInfiniteQuery({
    queryKey: ['dashboard', business.id, 'bookings', filters],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      api.get<Booking[]>('/api/bookings/', {
        business: business.id,
        query: { ...filters, page_size: 25, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.meta?.pagination.next_cursor ?? null,
  })
  const bookings = list.data?.pages.flatMap((page) => page.data) ?? []
  const { mutation: act, notice } = useStatusAction('bookings', business.id)
  const filtered = Object.values(filters).some(Boolean)

  return (
    <>
      <PageHeader title="Bookings" />
      <FilterBar label="Filter bookings">
        <SelectField label="Status" value={filters.status} onChange={set('status')}>
          <option value="">All statuses</option>
          {STATUS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Session" value={filters.session} onChange={set('session')}>
          <option value="">All sessions</option>
          {(sessions.data ?? []).map((session) => (
            <option key={session.id} value={session.id}>
              {session.title}
            </option>
          ))}
        </SelectField>
        <TextField label="From" type="date" value={filters.date_from} onChange={set('date_from')} />
        <TextField
          label="To"
          type="date"
          value={filters.date_to}
          min={filters.date_from || undefined}
          onChange={set('date_to')}
        />
        <Button
          variant="secondary"
          className="col-span-2 lg:col-span-1"
          disabled={!filtered}
          onClick={() => setFilters(NO_FILTERS)}
        >
          Clear filters
        </Button>
      </FilterBar>
      <div className="mb-4 space-y-3">
        {notice ? <Notice>{notice}</Notice> : null}
        <ActionError error={act.error} power={power} />
      </div>
      {list.isPending ? (
        <Loading what="Loading bookings" />
      ) : list.error ? (
        <ReadError error={list.error} power={power} what="the bookings" onRetry={() => list.refetch()} />
      ) : bookings.length === 0 ? (
        <EmptyState title={filtered ? 'No bookings match these filters.' : 'No bookings yet.'}>
          {filtered
            ? 'Try another status, session or date range.'
            : 'Bookings appear here as customers make them.'}
        </EmptyState>
      ) : (
        <>
          <TableRegion label="Bookings">
            <table className="w-full min-w-[46rem] divide-y divide-slate-200">
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={TH}>
                    Customer
                  </th>
                  <th scope="col" className={TH}>
                    Session
                  </th>
                  <th scope="col" className={TH}>
                    Date
                  </th>
                  <th scope="col" className={TH}>
                    Status
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Amount
                  </th>
                  <th scope="col" className={TH}>
                    Actions
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {bookings.map((booking) => {
                  const when = formatDateTime(booking.booking_date, business.timezone)
                  const what = `booking for ${booking.user.username} on ${when}`
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
                          what={what}
                          pending={
                            act.isPending && act.variables?.id === booking.id ? act.variables.action : null
                          }
                          onAct={(action) =>
                            act.mutate({
                              id: booking.id,
                              action,
                              what: `Booking for ${booking.user.username} on ${when}`,
                            })
                          }
                        />
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </TableRegion>
          <LoadMore
            what="bookings"
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => list.fetchNextPage()}
          />
        </>
      )}
    </>
  )
}
