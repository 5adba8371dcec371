// Users (platform admins): search, role and active filters, ordering; the detail with the user's
// bookings and businesses; the edit form (role, staff flag, active) and deactivation.
import PeopleIcon from '@mui/icons-material/People'
import {
  BooleanField,
  BooleanInput,
  BulkDeleteButton,
  ChipField,
  Datagrid,
  DatagridConfigurable,
  DeleteButton,
  Edit,
  EditButton,
  EmailField,
  FunctionField,
  List,
  NullableBooleanInput,
  ReferenceManyField,
  SaveButton,
  SearchInput,
  SelectField,
  SelectInput,
  Show,
  SimpleForm,
  TabbedShowLayout,
  TextField,
  TextInput,
  Toolbar,
  TopToolbar,
} from 'react-admin'
import type { User } from '../../api/types'
import { WhenField } from '../ui/fields'
import { ConsolePagination, ListToolbar } from '../ui/lists'

const ROLES = [
  { id: 'user', name: 'Customer' },
  { id: 'creator', name: 'Creator' },
  { id: 'admin', name: 'Platform admin' },
]

const fullName = (user: User) => [user.first_name, user.last_name].filter(Boolean).join(' ')

const userFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Username, email or name" />,
  <SelectInput key="role" source="role" choices={ROLES} />,
  <NullableBooleanInput key="is_active" source="is_active" label="Active" />,
]

const DEACTIVATE = {
  label: 'Deactivate',
  successMessage: 'User deactivated',
  confirmTitle: 'Deactivate this user?',
  confirmContent: 'They are signed out everywhere and can no longer sign in. Their data stays.',
}

function UserList() {
  return (
    <List
      filters={userFilters}
      sort={{ field: 'date_joined', order: 'DESC' }}
      perPage={25}
      pagination={<ConsolePagination />}
      actions={<ListToolbar />}
    >
      <DatagridConfigurable
        rowClick="show"
        bulkActionButtons={<BulkDeleteButton mutationMode="pessimistic" {...DEACTIVATE} />}
      >
        <TextField source="username" />
        <EmailField source="email" />
        <FunctionField label="Name" sortable={false} render={fullName} />
        <SelectField source="role" choices={ROLES} sortable={false} />
        <BooleanField source="is_active" label="Active" sortable={false} />
        <BooleanField source="is_staff" label="Staff" sortable={false} />
        <BooleanField source="email_verified" label="Verified" sortable={false} />
        <WhenField source="date_joined" label="Joined" />
      </DatagridConfigurable>
    </List>
  )
}

function UserShowActions() {
  return (
    <TopToolbar>
      <EditButton />
      <DeleteButton mutationMode="pessimistic" {...DEACTIVATE} />
    </TopToolbar>
  )
}

function UserShow() {
  return (
    <Show actions={<UserShowActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Profile">
          <TextField source="username" />
          <EmailField source="email" />
          <FunctionField label="Name" render={fullName} />
          <TextField source="phone" emptyText="—" />
          <SelectField source="role" choices={ROLES} />
          <BooleanField source="is_active" label="Active" />
          <BooleanField source="is_staff" label="Staff" />
          <BooleanField source="email_verified" label="Email verified" />
          <BooleanField source="two_factor_enabled" label="Two-factor sign-in" />
          <WhenField source="date_joined" label="Joined" />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Bookings" path="bookings">
          <ReferenceManyField
            reference="bookings"
            target="user"
            label={false}
            perPage={25}
            pagination={<ConsolePagination />}
          >
            <Datagrid rowClick="show" bulkActionButtons={false} empty={<p>No bookings.</p>}>
              <TextField source="session.title" label="Session" sortable={false} />
              <WhenField source="booking_date" label="When" sortable={false} />
              <ChipField source="status" sortable={false} />
              <TextField source="amount" sortable={false} />
            </Datagrid>
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Businesses" path="businesses">
          <ReferenceManyField
            reference="businesses"
            target="member"
            label={false}
            perPage={25}
            pagination={<ConsolePagination />}
          >
            <Datagrid rowClick="show" bulkActionButtons={false} empty={<p>Not a member of any business.</p>}>
              <TextField source="name" sortable={false} />
              <TextField source="slug" sortable={false} />
              <TextField source="timezone" sortable={false} />
              <BooleanField source="is_active" label="Active" sortable={false} />
            </Datagrid>
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  )
}

function UserEditToolbar() {
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      <DeleteButton mutationMode="pessimistic" {...DEACTIVATE} />
    </Toolbar>
  )
}

function UserEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm toolbar={<UserEditToolbar />}>
        <TextInput source="username" disabled helperText="Usernames do not change." />
        <TextInput
          source="email"
          type="email"
          disabled
          helperText="People change their own address (it needs their password)."
        />
        <TextInput source="first_name" />
        <TextInput source="last_name" />
        <TextInput source="phone" />
        <SelectInput source="role" choices={ROLES} helperText="A creator gets a business of their own." />
        <BooleanInput source="is_staff" label="Staff (platform admin rights)" />
        <BooleanInput source="is_active" label="Active (may sign in)" />
      </SimpleForm>
    </Edit>
  )
}

export const usersResource = {
  name: 'users',
  list: UserList,
  show: UserShow,
  edit: UserEdit,
  icon: PeopleIcon,
  recordRepresentation: 'username',
}
