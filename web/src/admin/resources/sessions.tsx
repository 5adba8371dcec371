// Sessions of the business the console acts in (a platform admin acting platform-wide sees the
// public catalog): search, status and price filters, ordering, export, bulk activation, the detail
// with its schedule and next slots, and the edit and create forms with the schedule editor.
import EventNoteIcon from '@mui/icons-material/EventNote'
import {
  CreateButton,
  DatagridConfigurable,
  List,
  NumberField,
  SearchInput,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin'
import { type Access, useAccess } from '../access'
import { ExportButtons } from '../ui/export'
import { StatusField, WhenField } from '../ui/fields'
import { ConsolePagination, ListToolbar } from '../ui/lists'
import { SessionBulkActions } from './sessions/bulk'
import { DurationField, PriceField, ScheduleSummaryField } from './sessions/fields'
import { SessionCreate, SessionEdit, STATUSES } from './sessions/form'
import { SessionShow } from './sessions/show'

const sessionFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Title or description" />,
  <SelectInput key="status" source="status" choices={STATUSES} />,
  <TextInput key="min_price" source="min_price" label="Min price" />,
  <TextInput key="max_price" source="max_price" label="Max price" />,
]

function SessionList() {
  const access = useAccess()
  const canWrite = access.can('sessions.write')
  return (
    <List
      filter={access.businessId ? { business: access.businessId } : undefined}
      filters={sessionFilters}
      sort={{ field: 'created_at', order: 'DESC' }}
      perPage={25}
      pagination={<ConsolePagination />}
      actions={
        <ListToolbar>
          {canWrite && <CreateButton />}
          {access.can('sessions.export') && <ExportButtons resource="sessions" />}
        </ListToolbar>
      }
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={canWrite ? <SessionBulkActions /> : false}>
        <TextField source="title" />
        <TextField source="creator.username" label="Creator" sortable={false} />
        <DurationField label="Duration" sortBy="duration" />
        <PriceField label="Price" sortBy="price" />
        <NumberField source="max_participants" label="Capacity" sortable={false} />
        <StatusField label="Status" sortable={false} />
        <ScheduleSummaryField label="Schedule" />
        <WhenField source="created_at" label="Created" />
      </DatagridConfigurable>
    </List>
  )
}

/** The sessions resource: editing and creating for those who may write the business's sessions. */
export function sessionsResource(access: Access) {
  const canWrite = access.can('sessions.write')
  return {
    name: 'sessions',
    list: SessionList,
    show: SessionShow,
    edit: canWrite ? SessionEdit : undefined,
    create: canWrite ? SessionCreate : undefined,
    icon: EventNoteIcon,
    recordRepresentation: 'title',
  }
}
