// The session detail: every field, the schedule in words and the next slots with the seats left
// (GET /api/sessions/{id}/slots/, today and the next 13 days).
import { Alert, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material'
import { useQuery } from '@tanstack/react-query'
import {
  EditButton,
  FunctionField,
  Labeled,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  UrlField,
  useRecordContext,
} from 'react-admin'
import { api } from '../../../api/client'
import { describeError } from '../../../api/errors'
import type { Session, Slot } from '../../../api/types'
import { formatDateTime, formatTime } from '../../../ui/format'
import { useAccess } from '../../access'
import { businessHeader } from '../../dataProvider'
import { StatusField, WhenField } from '../../ui/fields'
import { WideTable } from '../../ui/WideTable'
import { DurationField, PriceField, ScheduleDetails } from './fields'

function Slots({ session }: { session: Session }) {
  const slots = useQuery({
    queryKey: ['admin', 'sessions', session.id, 'slots'],
    queryFn: ({ signal }) =>
      api.get<Slot[]>(`/api/sessions/${session.id}/slots/`, { ...businessHeader(), signal }),
  })
  if (slots.isPending) return <Typography variant="body2">Loading slots…</Typography>
  if (slots.isError) return <Alert severity="error">{describeError(slots.error)}</Alert>
  if (slots.data.data.length === 0)
    return (
      <Typography variant="body2">No slots with a schedule or bookings in the next two weeks.</Typography>
    )
  return (
    <WideTable aria-label="Next slots">
      <TableHead>
        <TableRow>
          <TableCell>Start</TableCell>
          <TableCell>End</TableCell>
          <TableCell>Seats left</TableCell>
          <TableCell>Booked</TableCell>
          <TableCell>Note</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {slots.data.data.map((slot) => (
          <TableRow key={slot.start}>
            <TableCell>{formatDateTime(slot.start)}</TableCell>
            <TableCell>{formatTime(slot.end)}</TableCell>
            <TableCell>
              {slot.seats_left} of {slot.capacity}
            </TableCell>
            <TableCell>{slot.booked}</TableCell>
            <TableCell>{slot.scheduled ? '' : 'No longer scheduled; holds bookings'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </WideTable>
  )
}

function SessionExtras() {
  const record = useRecordContext<Session>()
  if (!record) return null
  return (
    <>
      <Labeled label="Schedule">
        <ScheduleDetails schedule={record.schedule} />
      </Labeled>
      <Labeled label="Next slots" fullWidth>
        <Slots session={record} />
      </Labeled>
    </>
  )
}

function SessionShowActions() {
  const access = useAccess()
  return <TopToolbar>{access.can('sessions.write') && <EditButton />}</TopToolbar>
}

export function SessionShow() {
  return (
    <Show actions={<SessionShowActions />}>
      <SimpleShowLayout>
        <TextField source="title" />
        <TextField source="description" emptyText="—" />
        <TextField source="business.name" label="Business" />
        <FunctionField
          label="Creator"
          render={(session: Session) =>
            [
              session.creator.username,
              [session.creator.first_name, session.creator.last_name].join(' ').trim(),
            ]
              .filter(Boolean)
              .join(' — ')
          }
        />
        <DurationField label="Duration" />
        <PriceField label="Price" />
        <NumberField source="max_participants" label="Capacity" />
        <UrlField source="image_url" label="Image URL" emptyText="—" />
        <StatusField label="Status" />
        <WhenField source="next_slot" label="Next slot" emptyText="—" />
        <WhenField source="created_at" label="Created" />
        <WhenField source="updated_at" label="Updated" />
        <SessionExtras />
      </SimpleShowLayout>
    </Show>
  )
}
