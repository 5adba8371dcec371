// The filter bar of the bookings and reservations lists: status, one filter of the list's own
// (session or staff), a date range and "Clear filters".
import { type ReactNode, useState } from 'react'
import type { Status } from '../../api/types'
import { Button } from '../../ui/controls'
import { SelectField, TextField } from '../../ui/forms'
import { FilterBar } from './parts'

const STATUS_OPTIONS: { value: Status; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
]

type StatusAndDates = { status: string; date_from: string; date_to: string }

export type Filters<F extends StatusAndDates> = ReturnType<typeof useFilters<F>>

/** The chosen filters (`none` when none is), a change handler per field, and whether any is set. */
export function useFilters<F extends StatusAndDates>(none: F) {
  const [values, setValues] = useState<F>(none)
  return {
    values,
    set: (name: keyof F) => (event: { target: { value: string } }) =>
      setValues((current) => ({ ...current, [name]: event.target.value })),
    clear: () => setValues(none),
    any: Object.values(values).some(Boolean),
  }
}

/** The filter bar; `children` are the list's own filters, between status and dates. */
export function ListFilters<F extends StatusAndDates>({
  label,
  filters,
  children,
}: {
  label: string
  filters: Filters<F>
  children: ReactNode
}) {
  const { values, set } = filters
  return (
    <FilterBar label={label}>
      <SelectField label="Status" value={values.status} onChange={set('status')}>
        <option value="">All statuses</option>
        {STATUS_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      {children}
      <TextField label="From" type="date" value={values.date_from} onChange={set('date_from')} />
      <TextField
        label="To"
        type="date"
        value={values.date_to}
        min={values.date_from || undefined}
        onChange={set('date_to')}
      />
      <Button
        variant="secondary"
        className="col-span-2 lg:col-span-1"
        disabled={!filters.any}
        onClick={filters.clear}
      >
        Clear filters
      </Button>
    </FilterBar>
  )
}
