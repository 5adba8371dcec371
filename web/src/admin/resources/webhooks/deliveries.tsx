// An endpoint's delivery log: every attempt, newest first, the one still to come included, with its
// status, the receiver's answer and how long it took. Redeliver sends an attempt's event again, as a
// new attempt. The log refreshes every 5 s, since attempts are made in the background.
import ReplayIcon from '@mui/icons-material/Replay'
import { Alert, Box, Typography } from '@mui/material'
import { useMutation } from '@tanstack/react-query'
import {
  Datagrid,
  FunctionField,
  type Identifier,
  NumberField,
  ReferenceManyField,
  TextField,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin'
import type { Webhook, WebhookDelivery } from '../../../api/types'
import type { ConsoleDataProvider } from '../../dataProvider'
import { Button } from '../../ui/buttons'
import { StatusField, WhenField } from '../../ui/fields'
import { ConsolePagination } from '../../ui/lists'

const REFRESH_MS = 5_000

/**
 * Sends the event of one delivery again; says which attempt it became, or why it could not. An
 * inactive endpoint is sent nothing, so its button is off (the API would refuse, 409).
 */
function RedeliverButton({ webhook }: { webhook: Webhook; label?: string }) {
  const delivery = useRecordContext<WebhookDelivery>()
  const dataProvider = useDataProvider<ConsoleDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const redeliver = useMutation({
    mutationFn: (id: Identifier) =>
      dataProvider.act<WebhookDelivery>('webhook-deliveries', {
        id,
        action: 'redeliver',
        parent: webhook.id,
      }),
    onSuccess: ({ data }) =>
      notify(`${data.event} is being sent again as attempt ${data.attempt}.`, { type: 'success' }),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => refresh(),
  })
  if (!delivery) return null
  return (
    <Button
      label="Redeliver"
      aria-label={`Redeliver ${delivery.event}, attempt ${delivery.attempt}`}
      disabled={redeliver.isPending || !webhook.is_active}
      onClick={() => redeliver.mutate(delivery.id)}
    >
      <ReplayIcon />
    </Button>
  )
}

const milliseconds = (delivery: WebhookDelivery) =>
  delivery.duration_ms === null ? '—' : `${delivery.duration_ms} ms`

export function Deliveries() {
  const webhook = useRecordContext<Webhook>()
  if (!webhook) return null
  return (
    <Box component="section" aria-labelledby="webhook-deliveries" sx={{ mt: 3 }}>
      <Typography id="webhook-deliveries" component="h2" variant="h6" gutterBottom>
        Deliveries
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Every attempt, newest first; a failed one is tried again later on its own. The list updates every 5
        seconds.
      </Typography>
      {!webhook.is_active && (
        <Alert severity="info" sx={{ mb: 1 }}>
          This endpoint is inactive: it is sent nothing, and redelivering needs it active again (Edit).
        </Alert>
      )}
      <ReferenceManyField
        reference="webhook-deliveries"
        target="webhook"
        perPage={25}
        pagination={<ConsolePagination />}
        queryOptions={{ refetchInterval: REFRESH_MS }}
        empty={<Alert severity="info">Nothing has been sent to this endpoint yet.</Alert>}
      >
        <Datagrid bulkActionButtons={false} rowClick={false} aria-label="Deliveries">
          <TextField source="event" label="Event" sortable={false} />
          <NumberField source="attempt" label="Attempt" sortable={false} />
          <StatusField source="status" label="Status" sortable={false} />
          <TextField source="response_status" label="Response" emptyText="—" sortable={false} />
          <FunctionField label="Duration" render={milliseconds} sortable={false} />
          <TextField
            source="error"
            label="Error"
            emptyText="—"
            sortable={false}
            sx={{ display: 'block', maxWidth: 320, wordBreak: 'break-word' }}
          />
          <WhenField source="at" label="At" sortable={false} sx={{ whiteSpace: 'nowrap' }} />
          <RedeliverButton webhook={webhook} label="Actions" />
        </Datagrid>
      </ReferenceManyField>
    </Box>
  )
}
