// Bookings of the chosen business: filters (status, session, dates), Confirm/Complete/Cancel for the
// selected rows, a row and the detail, and the CSV/JSON export. The API does not order bookings, so
// no column sorts.
import EventIcon from '@mui/icons-material/Event'
import { Alert } from '@mui/material'
import {
  AutocompleteInput,
  DatagridConfigurable,
  DateInput,
  List,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin'
import type { Booking } from '../../api/types'
import { useAccess } from '../access'
import { ExportButtons } from '../ui/export'
import { MoneyField, StatusField, WhenField } from '../ui/fields'
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

const BOOKINGS: Movable = { path: '/api/bookings', one: 'booking', many: 'bookings', power: 'bookings.act' }

const bookingFilters = [
  <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />,
  <DateInput key="date_from" source="date_from" label="From" alwaysOn />,
  <DateInput key="date_to" source="date_to" label="To" alwaysOn />,
  <ReferenceInput key="session" source="session" reference="sessions">
    <AutocompleteInput label="Session" optionText="title" sx={{ minWidth: 260 }} />
  </ReferenceInput>,
]

/** The amount in its currency; a column without a source, so the header does not offer sorting. */
function Amount(_: { label: string }) {
  return <MoneyField source="amount" />
}

function BookingList() {
  const access = useAccess()
  return (
    <BusinessRequired title="Bookings" noun="bookings">
      <List
        filters={bookingFilters}
        perPage={25}
        pagination={<ListPagination />}
        actions={
          <ListToolbar>
            <ExportButtons resource="bookings" />
          </ListToolbar>
        }
        error={<ListErrorAlert />}
        empty={<Alert severity="info">No bookings in this business yet.</Alert>}
      >
        <DatagridConfigurable
          rowClick="show"
          bulkActionButtons={access.can(BOOKINGS.power) ? <StatusBulkButtons target={BOOKINGS} /> : false}
        >
          <TextField source="user.username" label="Customer" sortable={false} />
          <TextField source="session.title" label="Session" sortable={false} />
          <WhenField source="booking_date" label="When" sortable={false} />
          <StatusField source="status" label="Status" sortable={false} />
          <Amount label="Amount" />
          <WhenField source="created_at" label="Created" sortable={false} />
          <StatusButtons target={BOOKINGS} label="Actions" />
        </DatagridConfigurable>
      </List>
    </BusinessRequired>
  )
}

function BookingShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <StatusButtons target={BOOKINGS} />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="user.username" label="Customer" />
        <TextField source="session.title" label="Session" />
        <WhenField source="booking_date" label="When" />
        <StatusField source="status" label="Status" />
        <Amount label="Amount" />
        <WhenField source="created_at" label="Created" />
        <WhenField source="updated_at" label="Updated" />
      </SimpleShowLayout>
    </Show>
  )
}

export const bookingsResource = {
  name: 'bookings',
  list: BookingList,
  show: BookingShow,
  icon: EventIcon,
  recordRepresentation: (booking: Booking) => `${booking.session.title} · ${booking.user.username}`,
}
