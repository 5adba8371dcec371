// Fields shared by the console's lists and details: times on the 24-hour clock like the web app's,
// money with its currency, and a status as a coloured chip.
import { Chip } from '@mui/material'
import { DateField, type DateFieldProps, FunctionField, useRecordContext } from 'react-admin'
import { DATE_TIME_OPTIONS, formatMoney } from '../../ui/format'

/** A date and time as text, 24-hour clock, in the reader's zone: what WhenField shows. */
export const formatWhen = (iso: string) =>
  new Intl.DateTimeFormat(undefined, DATE_TIME_OPTIONS).format(new Date(iso))

/** A date and time, 24-hour clock, in the reader's zone. */
export function WhenField(props: DateFieldProps) {
  return <DateField showTime options={DATE_TIME_OPTIONS} {...props} />
}

/** A decimal string of money, shown with the currency the record names (`currency`) when it does. */
export function MoneyField({ source, label }: { source: string; label?: string }) {
  return (
    <FunctionField
      source={source}
      label={label}
      render={(record: Record<string, unknown>) =>
        typeof record[source] === 'string'
          ? formatMoney(record[source] as string, (record.currency as string | undefined) ?? null)
          : '—'
      }
    />
  )
}

const STATUS_COLOURS = {
  pending: 'warning',
  confirmed: 'success',
  completed: 'info',
  cancelled: 'default',
  active: 'success',
  inactive: 'default',
  succeeded: 'success',
  failed: 'error',
} as const

/** A booking's, reservation's, session's or webhook delivery's status as a chip coloured by meaning. */
export function StatusChip({ status }: { status: string }) {
  const colour = STATUS_COLOURS[status as keyof typeof STATUS_COLOURS] ?? 'default'
  return (
    <Chip size="small" label={status} color={colour} variant={colour === 'default' ? 'outlined' : 'filled'} />
  )
}

/** The record's status (or another field) as a StatusChip. */
export function StatusField({ source = 'status' }: { source?: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext()
  return <StatusChip status={String(record?.[source] ?? '')} />
}
