// One endpoint: its settings and health, Edit, Rotate secret (asks first, then shows the new secret
// once) and Delete (asks first), and its delivery log.
import KeyIcon from '@mui/icons-material/Key'
import { Box, Chip, Typography } from '@mui/material'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import {
  BooleanField,
  Confirm,
  DeleteButton,
  EditButton,
  FunctionField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
} from 'react-admin'
import type { Webhook, WebhookWithSecret } from '../../../api/types'
import type { ConsoleDataProvider } from '../../dataProvider'
import { Button } from '../../ui/buttons'
import { formatWhen, WhenField } from '../../ui/fields'
import { Deliveries } from './deliveries'
import { SecretDialog } from './secret'

/**
 * What an endpoint's page does when the endpoint cannot be read (deleted meanwhile, or not the
 * caller's to manage): says so in the webhooks' words, and goes back to the list.
 */
export function useUnreadableEndpoint() {
  const notify = useNotify()
  const redirect = useRedirect()
  return {
    onError: (error: Error) => {
      notify(error.message, { type: 'error' })
      redirect('list', 'webhooks')
    },
  }
}

function RotateSecretButton() {
  const webhook = useRecordContext<Webhook>()
  const dataProvider = useDataProvider<ConsoleDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const [asking, setAsking] = useState(false)
  const [secret, setSecret] = useState<string | null>(null)
  const rotate = useMutation({
    mutationFn: (id: Webhook['id']) =>
      dataProvider.act<WebhookWithSecret>('webhooks', { id, action: 'rotate_secret' }),
    onSuccess: ({ data }) => setSecret(data.secret),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setAsking(false),
  })
  if (!webhook) return null
  return (
    <>
      <Button label="Rotate secret" onClick={() => setAsking(true)}>
        <KeyIcon />
      </Button>
      <Confirm
        isOpen={asking}
        title="Rotate the signing secret?"
        content="A new secret replaces the current one at once: requests are signed with the new one from now on, so your receiver needs it before it can check them again."
        confirm="Rotate secret"
        confirmColor="warning"
        loading={rotate.isPending}
        onConfirm={() => rotate.mutate(webhook.id)}
        onClose={() => setAsking(false)}
      />
      <SecretDialog
        secret={secret}
        title="The endpoint's new signing secret"
        onClose={() => {
          setSecret(null)
          notify('Signing secret rotated', { type: 'success' })
          refresh()
        }}
      />
    </>
  )
}

function WebhookShowActions() {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <EditButton />
      <RotateSecretButton />
      <DeleteButton
        mutationMode="pessimistic"
        confirmTitle="Delete this webhook endpoint?"
        confirmContent="It is sent nothing more, and its attempts still to come are dropped. This cannot be undone."
      />
    </TopToolbar>
  )
}

/** The events as small chips. */
export function EventChips({ events }: { events: readonly string[] }) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
      {events.map((event) => (
        <Chip key={event} size="small" variant="outlined" label={event} />
      ))}
    </Box>
  )
}

/** Whether deliveries succeed: failing since the first failure after the last success, or fine. */
export function Health({ webhook }: { webhook: Webhook }) {
  if (!webhook.failing_since) return <Typography variant="body2">No failing deliveries</Typography>
  return (
    <Typography variant="body2" color="error">
      Failing since {formatWhen(webhook.failing_since)}
    </Typography>
  )
}

export function WebhookShow() {
  return (
    <Show title="Webhook endpoint" actions={<WebhookShowActions />} queryOptions={useUnreadableEndpoint()}>
      <SimpleShowLayout>
        <TextField source="url" label="URL" sx={{ overflowWrap: 'anywhere' }} />
        <FunctionField label="Events" render={(webhook: Webhook) => <EventChips events={webhook.events} />} />
        <BooleanField source="is_active" label="Active" />
        <TextField source="description" label="Description" emptyText="—" />
        <FunctionField label="Health" render={(webhook: Webhook) => <Health webhook={webhook} />} />
        <WhenField source="created_at" label="Created" />
        <WhenField source="updated_at" label="Updated" />
      </SimpleShowLayout>
      <Box sx={{ px: 2, pb: 2 }}>
        <Deliveries />
      </Box>
    </Show>
  )
}
