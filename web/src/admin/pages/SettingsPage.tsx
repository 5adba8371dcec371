// The platform settings (platform admins): site name, time zone, default currency, the schedule's
// hours and whether people may register. Only changed fields are sent; the API's field errors show
// under their fields.
import { Alert, Box, Card, CardContent, Typography } from '@mui/material'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  AutocompleteInput,
  BooleanInput,
  Loading,
  maxLength,
  maxValue,
  minValue,
  NumberInput,
  number,
  required,
  SaveButton,
  SimpleForm,
  TextInput,
  Title,
  Toolbar,
  useNotify,
} from 'react-admin'
import type { FieldValues } from 'react-hook-form'
import { api } from '../../api/client'
import { describeError, fieldErrors } from '../../api/errors'
import type { components } from '../../api/schema'
import { formatDateTime } from '../../ui/format'
import { changedFields } from '../dataProvider'

type PlatformSettings = components['schemas']['PlatformSettings']

const KEY = ['console-settings']
const EDITABLE = [
  'site_name',
  'timezone',
  'default_currency',
  'pending_expiry_hours',
  'reminder_hours_before',
  'allow_registration',
] as const

const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' })

/** Every IANA zone and ISO 4217 currency the browser knows, plus the saved value should it not. */
function choicesOf(values: string[], saved: string, name: (value: string) => string = (value) => value) {
  const all = values.includes(saved) ? values : [saved, ...values]
  return all.map((value) => ({ id: value, name: name(value) }))
}

const whole = (value: unknown) => (Number.isInteger(value) ? undefined : 'Whole hours only.')
const hours = [required(), number(), whole, minValue(0), maxValue(8760)]

function SettingsForm({ settings }: { settings: PlatformSettings }) {
  const notify = useNotify()
  const client = useQueryClient()
  const zones = choicesOf([...Intl.supportedValuesOf('timeZone'), 'UTC'], settings.timezone)
  const currencies = choicesOf(
    Intl.supportedValuesOf('currency'),
    settings.default_currency,
    (code) => `${code} — ${currencyNames.of(code) ?? code}`,
  )
  const save = async (values: FieldValues) => {
    const picked = Object.fromEntries(EDITABLE.map((key) => [key, values[key]]))
    const changes = changedFields({ id: 'settings', ...picked }, { id: 'settings', ...settings })
    try {
      const saved = await api.patch<PlatformSettings>('/api/settings/', changes)
      client.setQueryData(KEY, saved.data)
      notify('Settings saved', { type: 'success' })
    } catch (error) {
      notify(describeError(error), { type: 'error' })
      return fieldErrors(error)
    }
  }
  return (
    <SimpleForm
      record={settings}
      onSubmit={save}
      toolbar={
        <Toolbar>
          <SaveButton />
        </Toolbar>
      }
    >
      <TextInput source="site_name" label="Site name" validate={[required(), maxLength(200)]} />
      <AutocompleteInput
        source="timezone"
        label="Time zone"
        choices={zones}
        validate={required()}
        helperText="The platform's IANA time zone, e.g. Europe/London"
      />
      <AutocompleteInput
        source="default_currency"
        label="Default currency"
        choices={currencies}
        validate={required()}
        helperText="For businesses that name none (ISO 4217)"
      />
      <NumberInput
        source="pending_expiry_hours"
        label="Pending expiry (hours)"
        validate={hours}
        helperText="Still pending this many hours after its start, a booking or reservation is cancelled"
      />
      <NumberInput
        source="reminder_hours_before"
        label="Reminder (hours before)"
        validate={hours}
        helperText="Reminder emails go out this many hours before the start"
      />
      <BooleanInput source="allow_registration" label="Allow registration (new people may sign up)" />
      <Typography variant="body2" color="text.secondary">
        Last changed {formatDateTime(settings.updated_at)}
      </Typography>
    </SimpleForm>
  )
}

export function SettingsPage() {
  const settings = useQuery({
    queryKey: KEY,
    queryFn: async () => (await api.get<PlatformSettings>('/api/settings/')).data,
  })
  return (
    <Box sx={{ py: 2, maxWidth: 720 }}>
      <Title title="Settings" />
      <Typography component="h1" variant="h5" gutterBottom>
        Platform settings
      </Typography>
      {settings.isPending ? (
        <Loading loadingPrimary="Loading the settings" loadingSecondary="" />
      ) : settings.error ? (
        <Alert severity="error" role="alert">
          {describeError(settings.error)}
        </Alert>
      ) : (
        <Card variant="outlined">
          <CardContent>
            <SettingsForm settings={settings.data} />
          </CardContent>
        </Card>
      )}
    </Box>
  )
}
