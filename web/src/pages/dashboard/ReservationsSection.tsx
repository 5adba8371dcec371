// The business's reservations (appointments), filtered by status, staff member and dates, with
// Confirm / Complete / Cancel per row and "Load more" through the cursor.
import { useEffect, useState } from 'react'
import type { Member, Reservation } from '../../api/types'
import { EmptyState, PageHeader, StatusBadge } from '../../ui/controls'
import { formatDateTime, formatTime, personName } from '../../ui/format'
import { SelectField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { can, useDashboard } from './business'
import { ListFilters, useFilters } from './filters'
import { ActionNotices, DataTable, ListStates, useBusinessList, useTeamList } from './lists'
import { LoadMore, TD } from './parts'
import { StatusActions, useStatusAction } from './StatusActions'

export function ReservationsSection() {
  useTitle('Dashboard reservations')
  const { business, power } = useDashboard()
  const filters = useFilters({ status: '', staff: '', date_from: '', date_to: '' })

  const members = useTeamList<Member>('members', can.seeMembers(power))
  const { list, rows: reservations } = useBusinessList<Reservation>(
    ['dashboard', business.id, 'reservations', filters.values],
    '/api/reservations/',
    { ...filters.values, ordering: 'start_time', page_size: 25 },
  )
  const { mutation: act, notice } = useStatusAction('reservations', business.id)

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
      <ListFilters label="Filter reservations" filters={filters}>
        <SelectField label="Staff" value={filters.values.staff} onChange={filters.set('staff')}>
          <option value="">Everyone</option>
          {[...staffOptions].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
      </ListFilters>
      <ActionNotices notice={notice} error={act.error} power={power} />
      <ListStates
        query={list}
        loading="Loading reservations"
        what="the reservations"
        power={power}
        empty={
          reservations.length === 0 ? (
            <EmptyState title={filters.any ? 'No reservations match these filters.' : 'No reservations yet.'}>
              {filters.any
                ? 'Try another status, staff member or date range.'
                : 'Appointments appear here as customers reserve them.'}
            </EmptyState>
          ) : null
        }
      >
        <DataTable
          label="Reservations"
          width="min-w-[52rem]"
          columns={['Customer', 'Staff', 'Time', 'Status', 'Notes', 'Actions']}
        >
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
                    id={reservation.id}
                    what={`reservation for ${reservation.customer.username} on ${start}`}
                    mutation={act}
                  />
                </td>
              </tr>
            )
          })}
        </DataTable>
        <LoadMore what="reservations" list={list} />
      </ListStates>
    </>
  )
}
