// The business edit form (owners, admins and platform admins: name, slug, time zone, currency,
// active) and the create form (name, and optionally time zone and currency; the creator becomes its
// owner).
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  DeleteButton,
  Edit,
  regex,
  required,
  SaveButton,
  SimpleForm,
  TextInput,
  Toolbar,
  useNotify,
  useRecordContext,
} from 'react-admin'
import type { Business } from '../../../api/types'
import { useAccess } from '../../access'
import { canIn } from './shared'

/** The IANA zones this browser knows, with UTC and the record's own zone always among them. */
function zoneChoices(current?: string) {
  const zones = new Set(Intl.supportedValuesOf('timeZone'))
  zones.add('UTC')
  if (current) zones.add(current)
  return [...zones].sort().map((zone) => ({ id: zone, name: zone }))
}

const CURRENCY = [regex(/^[A-Z]{3}$/, 'Three capital letters, like EUR or USD.')]
const upper = (value: string) => (value ? value.toUpperCase() : value)

function TimezoneInput({ optional }: { optional?: boolean }) {
  const record = useRecordContext<Business>()
  return (
    <AutocompleteInput
      source="timezone"
      label="Time zone"
      choices={zoneChoices(record?.timezone)}
      validate={optional ? undefined : required()}
      helperText={
        optional
          ? 'IANA time zone, e.g. Europe/Berlin. Empty: the platform default.'
          : 'IANA time zone: opening hours and schedules are read in it.'
      }
      fullWidth
    />
  )
}

/** Save errors as a notification too: a form with field errors shows them under the fields. */
function useSaveErrorNotice() {
  const notify = useNotify()
  return { onError: (error: unknown) => notify((error as Error).message, { type: 'error' }) }
}

/** Save, and for owners (and platform admins) a Delete that asks first: deleting is soft. */
function BusinessEditToolbar() {
  const access = useAccess()
  const record = useRecordContext<Business>()
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      {canIn(access, record, 'business.delete') && (
        <DeleteButton
          mutationMode="pessimistic"
          confirmTitle="Delete this business?"
          confirmContent="It disappears from every list and its pages stop working. Its data stays on record."
        />
      )}
    </Toolbar>
  )
}

export function BusinessEdit() {
  const mutationOptions = useSaveErrorNotice()
  return (
    <Edit mutationMode="pessimistic" mutationOptions={mutationOptions}>
      <SimpleForm toolbar={<BusinessEditToolbar />}>
        <TextInput source="name" validate={required()} fullWidth />
        <TextInput
          source="slug"
          validate={required()}
          helperText="Lower-case letters, digits and hyphens: it names the business in public links."
          fullWidth
        />
        <TimezoneInput />
        <TextInput
          source="currency"
          validate={[required(), ...CURRENCY]}
          parse={upper}
          helperText="ISO 4217 code."
        />
        <BooleanInput source="is_active" label="Active (listed and bookable)" />
      </SimpleForm>
    </Edit>
  )
}

export function BusinessCreate() {
  const mutationOptions = useSaveErrorNotice()
  return (
    <Create redirect="show" mutationOptions={mutationOptions}>
      <SimpleForm>
        <TextInput source="name" validate={required()} fullWidth helperText="You become its owner." />
        <TimezoneInput optional />
        <TextInput
          source="currency"
          validate={CURRENCY}
          parse={upper}
          helperText="ISO 4217 code. Empty: the platform default."
        />
      </SimpleForm>
    </Create>
  )
}
