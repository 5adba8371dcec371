// The Opening hours tab of a business: per weekday the local intervals it takes reservations in
// ("HH:MM" to "HH:MM", 24-hour; none = closed). Saving PATCHes the whole week; the API's field
// errors (`opening_hours.monday[1]`) show under their interval.
import AddIcon from '@mui/icons-material/Add'
import CloseIcon from '@mui/icons-material/Close'
import { Alert, IconButton, Stack, TextField, Typography } from '@mui/material'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useNotify } from 'react-admin'
import { api } from '../../../api/client'
import { describeError, fieldErrors } from '../../../api/errors'
import type { Business, OpeningHours, Weekday } from '../../../api/types'
import { Button } from '../../ui/buttons'

const DAYS: { day: Weekday; name: string }[] = [
  { day: 'monday', name: 'Monday' },
  { day: 'tuesday', name: 'Tuesday' },
  { day: 'wednesday', name: 'Wednesday' },
  { day: 'thursday', name: 'Thursday' },
  { day: 'friday', name: 'Friday' },
  { day: 'saturday', name: 'Saturday' },
  { day: 'sunday', name: 'Sunday' },
]

const TIME = { placeholder: 'HH:MM', inputMode: 'numeric', maxLength: 5 } as const

function DayRow({
  name,
  intervals,
  errors,
  field,
  editable,
  onChange,
}: {
  name: string
  intervals: string[][]
  errors: Record<string, string>
  field: string
  editable: boolean
  onChange: (intervals: string[][]) => void
}) {
  const setAt = (index: number, edge: 0 | 1, value: string) =>
    onChange(
      intervals.map((interval, at) =>
        at === index ? (edge === 0 ? [value, interval[1] ?? ''] : [interval[0] ?? '', value]) : interval,
      ),
    )
  const dayError = errors[field]
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} alignItems={{ md: 'flex-start' }}>
      <Typography sx={{ width: 110, pt: 1 }} component="h3" variant="body1">
        {name}
      </Typography>
      <Stack spacing={1} sx={{ flex: 1 }}>
        {intervals.length === 0 && (
          <Typography sx={{ pt: 1 }} color="text.secondary">
            Closed
          </Typography>
        )}
        {intervals.map((interval, index) => {
          const which = intervals.length > 1 ? ` (${index + 1})` : ''
          const error = errors[`${field}[${index}]`]
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity beyond their place.
            <Stack key={index} direction="row" spacing={1} alignItems="flex-start" flexWrap="wrap" useFlexGap>
              <TextField
                size="small"
                fullWidth={false}
                sx={{ width: 170 }}
                label={`${name} opens${which}`}
                value={interval[0] ?? ''}
                disabled={!editable}
                error={Boolean(error)}
                onChange={(event) => setAt(index, 0, event.target.value)}
                slotProps={{ htmlInput: TIME }}
              />
              <TextField
                size="small"
                fullWidth={false}
                sx={{ width: 170 }}
                label={`${name} closes${which}`}
                value={interval[1] ?? ''}
                disabled={!editable}
                error={Boolean(error)}
                onChange={(event) => setAt(index, 1, event.target.value)}
                slotProps={{ htmlInput: TIME }}
              />
              {editable && (
                <IconButton
                  aria-label={`Remove ${name} interval ${index + 1}`}
                  onClick={() => onChange(intervals.filter((_interval, at) => at !== index))}
                >
                  <CloseIcon />
                </IconButton>
              )}
              {error && (
                <Typography color="error" variant="body2" sx={{ width: '100%' }}>
                  {error}
                </Typography>
              )}
            </Stack>
          )
        })}
        {editable && (
          <Button
            label="Add interval"
            aria-label={`Add an interval on ${name}`}
            sx={{ alignSelf: 'flex-start' }}
            onClick={() => onChange([...intervals, intervals.length ? ['', ''] : ['09:00', '18:00']])}
          >
            <AddIcon />
          </Button>
        )}
        {dayError && (
          <Typography color="error" variant="body2">
            {dayError}
          </Typography>
        )}
      </Stack>
    </Stack>
  )
}

export function OpeningHoursTab({ business, editable }: { business: Business; editable: boolean }) {
  const notify = useNotify()
  const client = useQueryClient()
  const [week, setWeek] = useState<OpeningHours>(business.opening_hours)
  const save = useMutation({
    mutationFn: () =>
      api.patch<Business>(
        `/api/businesses/${business.id}/`,
        { opening_hours: week },
        { business: business.id },
      ),
    onSuccess: (body) => {
      setWeek(body.data.opening_hours)
      notify('Opening hours saved.', { type: 'success' })
      client.invalidateQueries({ queryKey: ['businesses'] })
    },
    onError: (error) => notify(describeError(error), { type: 'error' }),
  })
  const errors = save.isError ? fieldErrors(save.error) : {}
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  return (
    <Stack component="form" aria-label="Opening hours" spacing={2} onSubmit={submit} noValidate>
      <Typography variant="body2" color="text.secondary">
        Local times in {business.timezone}, on the 24-hour clock. A day without intervals is closed; 24:00
        closes at midnight.
      </Typography>
      {errors.opening_hours && <Alert severity="error">{errors.opening_hours}</Alert>}
      {DAYS.map(({ day, name }) => (
        <DayRow
          key={day}
          name={name}
          intervals={week[day]}
          field={`opening_hours.${day}`}
          errors={errors}
          editable={editable}
          onChange={(intervals) => setWeek({ ...week, [day]: intervals })}
        />
      ))}
      {editable && (
        <Stack direction="row">
          <Button label="Save opening hours" type="submit" variant="contained" disabled={save.isPending} />
        </Stack>
      )}
    </Stack>
  )
}
