// Webhooks of the chosen business (owners, admins and platform admins; AdminApp leaves the resource
// out for other roles): its endpoints with their events and last delivery, the create and edit forms,
// and each endpoint's page with its delivery log. A signing secret shows once, in a dialog.
import WebhookIcon from '@mui/icons-material/Webhook'
import { Alert, Box, Stack, Typography } from '@mui/material'
import {
  BooleanField,
  CreateButton,
  DatagridConfigurable,
  FunctionField,
  List,
  TextField,
  useGetManyReference,
  useRecordContext,
} from 'react-admin'
import type { Webhook, WebhookDelivery } from '../../api/types'
import { formatWhen, StatusChip } from '../ui/fields'
import { ListToolbar } from '../ui/lists'
import { BusinessRequired, ListErrorAlert, ListPagination } from '../ui/statusActions'
import { WebhookCreate, WebhookEdit } from './webhooks/form'
import { EventChips, Health, WebhookShow } from './webhooks/show'

/** The endpoint's newest attempt (one more request a row: a business has at most 20 endpoints). */
function LastDelivery(_: { label: string }) {
  const webhook = useRecordContext<Webhook>()
  const last = useGetManyReference<WebhookDelivery>(
    'webhook-deliveries',
    {
      target: 'webhook',
      id: webhook?.id,
      pagination: { page: 1, perPage: 1 },
      sort: { field: 'id', order: 'DESC' },
    },
    { enabled: webhook !== undefined },
  )
  if (!webhook) return null
  const newest = last.data?.[0]
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
      {last.isPending ? (
        <Typography variant="body2" color="text.secondary">
          Loading…
        </Typography>
      ) : newest ? (
        <>
          <StatusChip status={newest.status} />
          <Typography variant="caption" color="text.secondary">
            {newest.event} · {formatWhen(newest.at)}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {last.error ? '—' : 'None yet'}
        </Typography>
      )}
      {webhook.failing_since && <Health webhook={webhook} />}
    </Stack>
  )
}

function NoWebhooks() {
  return (
    <Box sx={{ py: 2 }}>
      <Alert severity="info" sx={{ mb: 2 }}>
        No webhook endpoints yet. Add one to have this business's bookings, reservations and sessions POSTed
        to your own system as they change.
      </Alert>
      <CreateButton label="Add an endpoint" />
    </Box>
  )
}

function WebhookList() {
  return (
    <BusinessRequired title="Webhooks" noun="webhook endpoints">
      <List
        title="Webhooks"
        perPage={25}
        pagination={<ListPagination />}
        actions={
          <ListToolbar filters={false}>
            <CreateButton label="Add an endpoint" />
          </ListToolbar>
        }
        error={<ListErrorAlert />}
        empty={<NoWebhooks />}
      >
        <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
          <TextField
            source="url"
            label="URL"
            sortable={false}
            sx={{ display: 'block', minWidth: 180, overflowWrap: 'anywhere' }}
          />
          <FunctionField
            label="Events"
            render={(webhook: Webhook) => <EventChips events={webhook.events} />}
          />
          <BooleanField source="is_active" label="Active" sortable={false} />
          <TextField source="description" label="Description" emptyText="—" sortable={false} />
          <LastDelivery label="Last delivery" />
        </DatagridConfigurable>
      </List>
    </BusinessRequired>
  )
}

export const webhooksResource = {
  name: 'webhooks',
  list: WebhookList,
  show: WebhookShow,
  edit: WebhookEdit,
  create: WebhookCreate,
  icon: WebhookIcon,
  options: { label: 'Webhooks' },
  recordRepresentation: 'url',
}
