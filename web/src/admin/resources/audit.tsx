// The audit log: who did what, filtered by entity, entity id, actor and dates. Each entry opens into
// a table of its changes, field by field before and after. The API has no single-entry read, so the
// expanded row is the detail.
import HistoryIcon from '@mui/icons-material/History'
import { Alert, Box, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material'
import {
  DatagridConfigurable,
  DateInput,
  FunctionField,
  List,
  SelectField,
  SelectInput,
  TextField,
  TextInput,
  useRecordContext,
} from 'react-admin'
import type { components } from '../../api/schema'
import { WhenField } from '../ui/fields'
import { ListToolbar } from '../ui/lists'
import { ListErrorAlert, ListPagination } from '../ui/statusActions'
import { WideTable } from '../ui/WideTable'
import { MemberInput } from './reservations'

type AuditEntry = components['schemas']['AuditEntry']

const ENTITIES = ['user', 'business', 'membership', 'session', 'booking', 'reservation', 'settings'].map(
  (entity) => ({ id: entity, name: entity.charAt(0).toUpperCase() + entity.slice(1) }),
)

const ACTIONS = [
  { id: 'create', name: 'Created' },
  { id: 'update', name: 'Updated' },
  { id: 'delete', name: 'Deleted' },
  { id: 'status_change', name: 'Status changed' },
]

const auditFilters = [
  <SelectInput key="entity" source="entity" label="Entity" choices={ENTITIES} alwaysOn />,
  <DateInput key="date_from" source="date_from" label="From" alwaysOn />,
  <DateInput key="date_to" source="date_to" label="To" alwaysOn />,
  <TextInput key="entity_id" source="entity_id" label="Entity id" />,
  <MemberInput key="actor" source="actor" label="Actor" />,
]

/** One recorded value as a person reads it: text as is, nothing as a dash, the rest as JSON. */
function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined)
    return (
      <Typography component="span" color="text.secondary">
        —
      </Typography>
    )
  if (typeof value === 'string') return <>{value}</>
  if (typeof value !== 'object') return <>{String(value)}</>
  return (
    <Box
      component="pre"
      sx={{ m: 0, fontSize: '0.8125rem', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  )
}

/** The entry's changes as a table: field, before, after. */
function Changes() {
  const entry = useRecordContext<AuditEntry>()
  if (!entry) return null
  const fields = Object.entries(entry.changes)
  return (
    <Box sx={{ py: 1, px: 2 }}>
      {fields.length === 0 ? (
        <Typography color="text.secondary">No field changes were recorded for this entry.</Typography>
      ) : (
        <WideTable aria-label={`Changes to ${entry.entity} ${entry.entity_id}`}>
          <TableHead>
            <TableRow>
              <TableCell>Field</TableCell>
              <TableCell>Before</TableCell>
              <TableCell>After</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {fields.map(([field, [before, after]]) => (
              <TableRow key={field}>
                <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace' }}>
                  {field}
                </TableCell>
                <TableCell>
                  <Value value={before} />
                </TableCell>
                <TableCell>
                  <Value value={after} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </WideTable>
      )}
      {entry.request_id && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Request {entry.request_id}
        </Typography>
      )}
    </Box>
  )
}

function AuditList() {
  return (
    <List
      title="Audit log"
      filters={auditFilters}
      perPage={25}
      pagination={<ListPagination />}
      actions={<ListToolbar />}
      error={<ListErrorAlert />}
      empty={<Alert severity="info">Nothing has been recorded yet.</Alert>}
    >
      <DatagridConfigurable rowClick="expand" expand={<Changes />} bulkActionButtons={false}>
        <WhenField source="at" label="When" sortable={false} />
        <FunctionField
          source="actor.username"
          label="Actor"
          sortable={false}
          render={(entry: AuditEntry) => entry.actor?.username ?? 'system'}
        />
        <SelectField source="action" label="Action" choices={ACTIONS} sortable={false} />
        <TextField source="entity" label="Entity" sortable={false} />
        <TextField source="entity_id" label="Entity id" sortable={false} />
      </DatagridConfigurable>
    </List>
  )
}

export const auditResource = {
  name: 'audit-log',
  list: AuditList,
  icon: HistoryIcon,
  options: { label: 'Audit log' },
}
