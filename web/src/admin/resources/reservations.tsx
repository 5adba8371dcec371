// Reservations of the chosen business: filters (status, staff member, dates), newest start first,
// Confirm/Complete/Cancel for the selected rows, a row and the detail, and the CSV/JSON export. Also
// the member picker the audit log's actor filter shares.
import ScheduleIcon from '@mui/icons-material/Schedule'
import { Alert } from '@mui/material'
import { useQuery } from '@tanstack/react-query'
import {
  DatagridConfigurable,
  DateInput,
  FunctionField,
  List,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
} from 'react-admin'
import { api } from '../../api/client'
import type { Member, Reservation } from '../../api/types'
import { personName } from '../../ui/format'
import { useAccess } from '../access'
import { ExportButtons } from '../ui/export'
import { StatusField, WhenField } from '../ui/fields'
import { ListToolbar } from '../ui/lists'
import {
  BusinessRequired,
  ListErrorAlert,
  ListPagination,
  type Movable,
  STATUS_CHOICES,
  StatusBulkButtons,
  StatusButtons,
} from '../ui/statusActions'

const RESERVATIONS: Movable = {
  path: '/api/reservations',
  one: 'reservation',
  many: 'reservations',
  power: 'reservations.manage',
}

/**
 * A member of the chosen business, picked by name (the filter's value is their user id). Where the
 * members cannot be listed (platform-wide, or a role without that power) a user id is typed instead.
 */
export function MemberInput({ source, label }: { source: string; label: string; alwaysOn?: boolean }) {
  const access = useAccess()
  const members = useQuery({
    queryKey: ['console-members', access.businessId],
    enabled: access.businessId !== null && access.can('members.read'),
    staleTime: 60_000,
    queryFn: async () =>
      (
        await api.get<Member[]>(`/api/businesses/${access.businessId}/members/`, {
          business: access.businessId,
          query: { page_size: 100 },
        })
      ).data,
  })
  if (members.isPending && members.fetchStatus !== 'idle')
    return <SelectInput source={source} label={label} choices={[]} isPending />
  if (!members.data) return <TextInput source={source} label={`${label} (user id)`} />
  const choices = members.data.map((member) => ({
    id: member.user.id,
    name: `${personName(member.user)} (${member.role})`,
  }))
  return <SelectInput source={source} label={label} choices={choices} />
}

const reservationFilters = [
  <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />,
  <DateInput key="date_from" source="date_from" label="From" alwaysOn />,
  <DateInput key="date_to" source="date_to" label="To" alwaysOn />,
  <MemberInput key="staff" source="staff" label="Staff" />,
]

const staffName = (reservation: Reservation) => reservation.staff?.username ?? 'Business calendar'

function ReservationList() {
  const access = useAccess()
  return (
    <BusinessRequired title="Reservations" noun="reservations">
      <List
        filters={reservationFilters}
        sort={{ field: 'start_time', order: 'DESC' }}
        perPage={25}
        pagination={<ListPagination />}
        actions={
          <ListToolbar>
            <ExportButtons resource="reservations" />
          </ListToolbar>
        }
        error={<ListErrorAlert />}
        empty={<Alert severity="info">No reservations in this business yet.</Alert>}
      >
        <DatagridConfigurable
          rowClick="show"
          bulkActionButtons={
            access.can(RESERVATIONS.power) ? <StatusBulkButtons target={RESERVATIONS} /> : false
          }
        >
          <TextField source="customer.username" label="Customer" sortable={false} />
          <FunctionField source="staff.username" label="Staff" sortable={false} render={staffName} />
          <WhenField source="start_time" label="Start" />
          <WhenField source="end_time" label="End" sortable={false} />
          <StatusField source="status" label="Status" sortable={false} />
          <TextField
            source="notes"
            label="Notes"
            sortable={false}
            emptyText="—"
            sx={{
              display: 'block',
              maxWidth: 240,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
          />
          <StatusButtons target={RESERVATIONS} label="Actions" />
        </DatagridConfigurable>
      </List>
    </BusinessRequired>
  )
}

function ReservationShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <StatusButtons target={RESERVATIONS} />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="customer.username" label="Customer" />
        <TextField source="customer.email" label="Customer email" emptyText="—" />
        <FunctionField source="staff.username" label="Staff" render={staffName} />
        <WhenField source="start_time" label="Start" />
        <WhenField source="end_time" label="End" />
        <StatusField source="status" label="Status" />
        <TextField source="notes" label="Notes" emptyText="—" />
        <WhenField source="created_at" label="Created" />
        <WhenField source="updated_at" label="Updated" />
      </SimpleShowLayout>
    </Show>
  )
}

export const reservationsResource = {
  name: 'reservations',
  list: ReservationList,
  show: ReservationShow,
  icon: ScheduleIcon,
  recordRepresentation: (reservation: Reservation) => reservation.customer.username,
}
