// The session edit and create forms (sessions.write): title, description, duration, price,
// capacity, image, status and the weekly schedule. Saving errors are notified and, when the API names
// fields (`max_participants` 409 `conflict`, `schedule.weekly[0].times[1]`), shown under them.
import {
  Create,
  Edit,
  maxValue,
  minValue,
  NumberInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useNotify,
} from 'react-admin'
import { ScheduleInput } from './schedule'

export const STATUSES = [
  { id: 'active', name: 'Active' },
  { id: 'inactive', name: 'Inactive' },
]

const TITLE = [required()]
const DURATION = [required(), minValue(5), maxValue(1440)]
const CAPACITY = [required(), minValue(1), maxValue(10000)]
const PRICE = [required(), regex(/^\d{1,8}(\.\d{1,2})?$/, 'A non-negative amount like 25 or 25.50.')]

function SessionForm() {
  return (
    <SimpleForm>
      <TextInput source="title" validate={TITLE} fullWidth />
      <TextInput source="description" multiline minRows={3} fullWidth />
      <NumberInput
        source="duration"
        label="Duration (minutes)"
        validate={DURATION}
        step={5}
        helperText="5 to 1440."
      />
      <TextInput source="price" validate={PRICE} helperText="In the business's currency, e.g. 25.00." />
      <NumberInput
        source="max_participants"
        label="Capacity"
        validate={CAPACITY}
        helperText="Seats a slot, 1 to 10000."
      />
      <TextInput source="image_url" label="Image URL" type="url" fullWidth />
      <SelectInput source="status" choices={STATUSES} validate={required()} />
      <ScheduleInput source="schedule" />
    </SimpleForm>
  )
}

/** Every save error as a notification too, also when the form shows the field errors it names. */
function useSaveErrorNotice() {
  const notify = useNotify()
  return { onError: (error: unknown) => notify((error as Error).message, { type: 'error', multiLine: true }) }
}

export function SessionEdit() {
  return (
    <Edit mutationMode="pessimistic" mutationOptions={useSaveErrorNotice()} redirect="show">
      <SessionForm />
    </Edit>
  )
}

export function SessionCreate() {
  return (
    <Create
      mutationOptions={useSaveErrorNotice()}
      redirect="show"
      record={{ status: 'active', duration: 60, price: '0.00', max_participants: 1, schedule: null }}
    >
      <SessionForm />
    </Create>
  )
}
