// The business's reservations (appointments), filtered by status, staff member and dates, with
// Confirm / Complete / Cancel per row and "Load more" through the cursor.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api } from '../../api/client'
import type { Member, Reservation, Status } from '../../api/types'
import { Button, EmptyState, Loading, Notice, PageHeader, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatTime, personName } from '../../ui/format'
import { SelectField, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { STATUS_OPTIONS } from './BookingsSection'
import { can, useDashboard } from './business'
import { ActionError, FilterBar, LoadMore, ReadError, TableRegion, TD, TH } from './parts'
import { StatusActions, useStatusAction } from './StatusActions'

type Filters = { status: '' | Status; staff: string; date_from: string; date_to: string }
const NO_FILTERS: Filters = { status: '', staff: '', date_from: '', date_to: '' }

export function ReservationsSection() {
  useTitle('Dashboard reservations')
  const { business, power } = useDashboard()
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }))

  const members = useQuery({
    queryKey: ['dashboard', business.id, 'members'],
    enabled: can.seeMembers(power),
    queryFn: async () =>
      (
        await api.get<Member[]>(`/api/businesses/${business.id}/members/`, {
          business: business.id,
          query: { page_size: 100 },
        })
      ).data,
  })
  const list = useInfiniteQuery({
    queryKey: ['dashboard', business.id, 'reservations', filters],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      api.get<Reservation[]>('/api/reservations/', {
        business: business.id,
        query: { ...filters, ordering: 'start_time', page_size: 25, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.meta?.pagination.next_cursor ?? null,
  })
  const reservations = list.data?.pages.flatMap((page) => page.data) ?? []
  const { mutation: act, notice } = useStatusAction('reservations', business.id)
  const filtered = Object.values(filters).some(Boolean)

  // The staff to filter by: the team when the role may read it, else those met in the list so far
  // (remembered, so an option stays while the filter narrows the list).
  const [seen, setSeen] = useState<Record<string, string>>({})
  useEffect(() => {
    const found: Record<string, string> = {}
    for (const page of list.data?.pages ?? [])
      for (const reservation of page.data)
        if (reservation.staff) found[reservation.staff.id] = reservation.staff.username
    if (Object.keys(found).some((id) => !(id in seen))) setSeen((current) => ({ ...current, ...found }))
  }, [list.data, seen])
  const staffOptions = new Map<string, string>(Object.entries(seen))
  for (const member of members.data ?? []) staffOptions.set(member.user.id, personName(member.user))

  return (
    <>
      <PageHeader title="Reservations" />
      <FilterBar label="Filter reservations">
        <SelectField label="Status" value={filters.status} onChange={set('status')}>
          <option value="">All statuses</option>
          {STATUS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Staff" value={filters.staff} onChange={set('staff')}>
          <option value="">Everyone</option>
          {[...staffOptions].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
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
        <Loading what="Loading reservations" />
      ) : list.error ? (
        <ReadError error={list.error} power={power} what="the reservations" onRetry={() => list.refetch()} />
      ) : reservations.length === 0 ? (
        <EmptyState title={filtered ? 'No reservations match these filters.' : 'No reservations yet.'}>
          {filtered
            ? 'Try another status, staff member or date range.'
            : 'Appointments appear here as customers reserve them.'}
        </EmptyState>
      ) : (
        <>
          <TableRegion label="Reservations">
            <table className="w-full min-w-[52rem] divide-y divide-slate-200">
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={TH}>
                    Customer
                  </th>
                  <th scope="col" className={TH}>
                    Staff
                  </th>
                  <th scope="col" className={TH}>
                    Time
                  </th>
                  <th scope="col" className={TH}>
                    Status
                  </th>
                  <th scope="col" className={TH}>
                    Notes
                  </th>
                  <th scope="col" className={TH}>
                    Actions
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {reservations.map((reservation) => {
                  const when = `${formatDateTime(reservation.start_time, business.timezone)}–${formatTime(reservation.end_time, business.timezone)}`
                  const start = formatDateTime(reservation.start_time, business.timezone)
                  return (
                    <tr key={reservation.id}>
                      <td className={TD}>
                        <span className="font-medium">{reservation.customer.username}</span>
                        {reservation.customer.email ? (
                          <span className="block break-all text-slate-700">{reservation.customer.email}</span>
                        ) : null}
                      </td>
                      <td className={TD}>
                        {reservation.staff ? (
                          reservation.staff.username
                        ) : (
                          <span className="text-slate-700">Business calendar</span>
                        )}
                      </td>
                      <td className={`${TD} whitespace-nowrap`}>{when}</td>
                      <td className={TD}>
                        <StatusBadge status={reservation.status} />
                      </td>
                      <td className={`${TD} max-w-64 break-words`}>
                        {reservation.notes || <span className="text-slate-600">—</span>}
                      </td>
                      <td className={TD}>
                        <StatusActions
                          status={reservation.status}
                          what={`reservation for ${reservation.customer.username} on ${start}`}
                          pending={
                            act.isPending && act.variables?.id === reservation.id
                              ? act.variables.action
                              : null
                          }
                          onAct={(action) =>
                            act.mutate({
                              id: reservation.id,
                              action,
                              what: `Reservation for ${reservation.customer.username} on ${start}`,
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
            what="reservations"
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => list.fetchNextPage()}
          />
        </>
      )}
    </>
  )
}
