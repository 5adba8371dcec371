// Businesses: the list (search, column choice), the detail with its members, invitations and
// opening hours, and the edit and create forms. What a caller may change follows their role in the
// business shown (platform admins may change everything); the API still decides.
import StorefrontIcon from '@mui/icons-material/Storefront'
import {
  BooleanField,
  CreateButton,
  DatagridConfigurable,
  EditButton,
  List,
  SearchInput,
  SelectField,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from 'react-admin'
import type { Business } from '../../api/types'
import { type Access, useAccess } from '../access'
import { WhenField } from '../ui/fields'
import { ConsolePagination, ListToolbar } from '../ui/lists'
import { BusinessCreate, BusinessEdit } from './businesses/forms'
import { InvitationsTab } from './businesses/invitations'
import { MembersTab } from './businesses/members'
import { OpeningHoursTab } from './businesses/openingHours'
import { canIn, ROLES } from './businesses/shared'

const businessFilters = [<SearchInput key="q" source="q" alwaysOn placeholder="Name or slug" />]

function BusinessList() {
  return (
    <List
      filters={businessFilters}
      perPage={25}
      pagination={<ConsolePagination />}
      actions={
        <ListToolbar filters={false}>
          <CreateButton />
        </ListToolbar>
      }
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
        <TextField source="name" sortable={false} />
        <TextField source="slug" sortable={false} />
        <TextField source="timezone" label="Time zone" sortable={false} />
        <TextField source="currency" sortable={false} />
        <BooleanField source="is_active" label="Active" sortable={false} />
        <SelectField source="my_role" label="Your role" choices={ROLES} emptyText="—" sortable={false} />
      </DatagridConfigurable>
    </List>
  )
}

function BusinessShowActions() {
  const access = useAccess()
  const record = useRecordContext<Business>()
  return <TopToolbar>{canIn(access, record, 'business.update') && <EditButton />}</TopToolbar>
}

function BusinessTabs() {
  const access = useAccess()
  const record = useRecordContext<Business>()
  if (!record) return null
  return (
    <TabbedShowLayout>
      <TabbedShowLayout.Tab label="Details">
        <TextField source="name" />
        <TextField source="slug" />
        <TextField source="timezone" label="Time zone" />
        <TextField source="currency" />
        <BooleanField source="is_active" label="Active" />
        <SelectField source="my_role" label="Your role" choices={ROLES} emptyText="Not a member" />
        <WhenField source="created_at" label="Created" />
        <WhenField source="updated_at" label="Updated" />
      </TabbedShowLayout.Tab>
      {canIn(access, record, 'members.read') && (
        <TabbedShowLayout.Tab label="Members" path="members">
          <MembersTab business={record} />
        </TabbedShowLayout.Tab>
      )}
      {canIn(access, record, 'members.write') && (
        <TabbedShowLayout.Tab label="Invitations" path="invitations">
          <InvitationsTab business={record} />
        </TabbedShowLayout.Tab>
      )}
      <TabbedShowLayout.Tab label="Opening hours" path="hours">
        <OpeningHoursTab
          key={record.updated_at}
          business={record}
          editable={canIn(access, record, 'business.update')}
        />
      </TabbedShowLayout.Tab>
    </TabbedShowLayout>
  )
}

function BusinessShow() {
  return (
    <Show actions={<BusinessShowActions />}>
      <BusinessTabs />
    </Show>
  )
}

/** The businesses resource. Editing is offered per business, by the caller's role there. */
export function businessesResource(access: Access) {
  return {
    name: 'businesses',
    list: BusinessList,
    show: BusinessShow,
    edit: BusinessEdit,
    create: access.user ? BusinessCreate : undefined,
    icon: StorefrontIcon,
    recordRepresentation: 'name',
  }
}
