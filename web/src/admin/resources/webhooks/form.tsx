// The endpoint create and edit forms: URL, the events to send (at least one), a description and
// whether it is active. The API decides what a URL may be (https, on a public address); its field
// errors show under the fields. A new endpoint's secret shows once, in a dialog, before its page.
import { type ReactElement, useState } from 'react'
import {
  BooleanInput,
  CheckboxGroupInput,
  Create,
  DeleteButton,
  Edit,
  maxLength,
  required,
  SaveButton,
  SimpleForm,
  TextInput,
  Toolbar,
  useNotify,
  useRedirect,
} from 'react-admin'
import type { WebhookWithSecret } from '../../../api/types'
import { EVENT_CHOICES } from './events'
import { SecretDialog } from './secret'
import { useUnreadableEndpoint } from './show'

/** A full http(s) URL; whether it must be https is the server's to say (WEBHOOK_ALLOW_PRIVATE). */
function webUrl(value: string | undefined) {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'Use an https:// URL.'
  } catch {
    return 'Enter a full URL, like https://example.com/hooks/tessera.'
  }
}

// The API's limits, said before sending.
const URL_RULES = [required(), maxLength(2000), webUrl]
const EVENT_RULES = [required('Choose at least one event.')]
const DESCRIPTION_RULES = [maxLength(500)]

function WebhookForm({ toolbar }: { toolbar?: ReactElement }) {
  return (
    <SimpleForm toolbar={toolbar}>
      <TextInput
        source="url"
        label="URL"
        type="url"
        validate={URL_RULES}
        helperText="Where events are POSTed: an https URL on a public address. Private and local addresses are refused."
        fullWidth
      />
      <CheckboxGroupInput
        source="events"
        label="Events"
        choices={EVENT_CHOICES}
        validate={EVENT_RULES}
        row={false}
        helperText="The changes of this business the endpoint is sent."
      />
      <TextInput
        source="description"
        multiline
        minRows={2}
        validate={DESCRIPTION_RULES}
        fullWidth
        helperText="For your team: what receives these events."
      />
      <BooleanInput source="is_active" label="Active (send events to it)" />
    </SimpleForm>
  )
}

/** Save errors as a notification too: a form with field errors shows them under the fields. */
function useSaveErrorNotice() {
  const notify = useNotify()
  return (error: unknown) => notify((error as Error).message, { type: 'error', multiLine: true })
}

/** Save, and a Delete that asks first. */
function WebhookEditToolbar() {
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      <DeleteButton
        mutationMode="pessimistic"
        confirmTitle="Delete this webhook endpoint?"
        confirmContent="It is sent nothing more, and its attempts still to come are dropped. This cannot be undone."
      />
    </Toolbar>
  )
}

export function WebhookEdit() {
  return (
    <Edit
      title="Webhook endpoint"
      mutationMode="pessimistic"
      mutationOptions={{ onError: useSaveErrorNotice() }}
      queryOptions={useUnreadableEndpoint()}
      redirect="show"
    >
      <WebhookForm toolbar={<WebhookEditToolbar />} />
    </Edit>
  )
}

export function WebhookCreate() {
  const notify = useNotify()
  const redirect = useRedirect()
  const onError = useSaveErrorNotice()
  const [made, setMade] = useState<WebhookWithSecret | null>(null)
  return (
    <>
      <Create
        title="New webhook endpoint"
        record={{ url: '', events: [], description: '', is_active: true }}
        mutationOptions={{
          onSuccess: (data: WebhookWithSecret) => {
            notify('Webhook endpoint added', { type: 'success' })
            setMade(data)
          },
          onError,
        }}
      >
        <WebhookForm />
      </Create>
      <SecretDialog
        secret={made?.secret ?? null}
        title="The endpoint's signing secret"
        onClose={() => made && redirect('show', 'webhooks', made.id)}
      />
    </>
  )
}
