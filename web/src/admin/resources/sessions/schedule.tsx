// The schedule editor of the session form: off (null: any future time is a slot) or weekly rows
// (a weekday and its "HH:MM" times), a start date, an optional end date and dates left out. The
// API's field errors (`schedule.weekly[0].times[1]`) show under the input they name.
import AddIcon from '@mui/icons-material/Add'
import CloseIcon from '@mui/icons-material/Close'
import { FormControlLabel, IconButton, Stack, Switch, TextField, Typography } from '@mui/material'
import { useId, useRef } from 'react'
import { useInput } from 'react-admin'
import { get, useFormState } from 'react-hook-form'
import type { Schedule } from '../../../api/types'
import { WEEK } from '../../../pages/dashboard/sessions'
import { Button } from '../../ui/buttons'

type Weekly = Schedule['weekly'][number]

const TIME = { placeholder: 'HH:MM', inputMode: 'numeric', maxLength: 5 } as const
const dayName = (day: Weekly['weekday']) => WEEK.find((item) => item.day === day)?.name ?? day

function today(): string {
  const now = new Date()
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-')
}

const fresh = (): Schedule => ({
  weekly: [{ weekday: 'mon', times: ['09:00'] }],
  starts_on: today(),
  ends_on: null,
  exceptions: [],
})

function WeekdayRow({
  entry,
  index,
  path,
  errorAt,
  onChange,
  onRemove,
}: {
  entry: Weekly
  index: number
  path: string
  errorAt: (path: string) => string | undefined
  onChange: (entry: Weekly) => void
  onRemove: () => void
}) {
  const id = useId()
  const name = dayName(entry.weekday)
  const timesError = errorAt(`${path}.times`)
  return (
    <Stack direction="row" spacing={1} alignItems="flex-start" flexWrap="wrap" useFlexGap>
      <TextField
        id={id}
        select
        size="small"
        fullWidth={false}
        sx={{ width: 150 }}
        label={`Weekday ${index + 1}`}
        value={entry.weekday}
        error={Boolean(errorAt(`${path}.weekday`))}
        helperText={errorAt(`${path}.weekday`)}
        onChange={(event) => onChange({ ...entry, weekday: event.target.value as Weekly['weekday'] })}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
      >
        {WEEK.map(({ day, name: label }) => (
          <option key={day} value={day}>
            {label}
          </option>
        ))}
      </TextField>
      {entry.times.map((time, at) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a time has no identity beyond its place.
        <Stack key={at} direction="row" alignItems="flex-start">
          <TextField
            size="small"
            fullWidth={false}
            sx={{ width: 160 }}
            label={`${name} time ${at + 1}`}
            value={time}
            error={Boolean(errorAt(`${path}.times.${at}`))}
            helperText={errorAt(`${path}.times.${at}`)}
            onChange={(event) =>
              onChange({
                ...entry,
                times: entry.times.map((old, j) => (j === at ? event.target.value : old)),
              })
            }
            slotProps={{ htmlInput: TIME }}
          />
          <IconButton
            aria-label={`Remove time ${at + 1} on ${name}`}
            onClick={() => onChange({ ...entry, times: entry.times.filter((_old, j) => j !== at) })}
          >
            <CloseIcon fontSize="small" />
          </IconButton>
        </Stack>
      ))}
      <Button
        label="Add time"
        aria-label={`Add a time on ${name}`}
        onClick={() => onChange({ ...entry, times: [...entry.times, ''] })}
      >
        <AddIcon />
      </Button>
      <Button label="Remove day" aria-label={`Remove ${name}`} color="error" onClick={onRemove} />
      {timesError && (
        <Typography color="error" variant="caption" sx={{ width: '100%' }}>
          {timesError}
        </Typography>
      )}
    </Stack>
  )
}

export function ScheduleInput({ source = 'schedule' }: { source?: string }) {
  const { field } = useInput({ source, format: (value) => value ?? null, parse: (value) => value })
  const { errors } = useFormState({ name: field.name })
  // The last schedule switched off, so switching back on restores it rather than starting over.
  const kept = useRef<Schedule | null>(null)
  const schedule = (field.value || null) as Schedule | null
  const errorAt = (path: string): string | undefined => {
    const message = (get(errors, path) as { message?: unknown } | undefined)?.message
    return typeof message === 'string' ? message : undefined
  }
  const set = (next: Schedule | null) => field.onChange(next)
  const base = field.name
  const change = (patch: Partial<Schedule>) => schedule && set({ ...schedule, ...patch })

  const toggle = (on: boolean) => {
    if (on) set(kept.current ?? fresh())
    else {
      kept.current = schedule
      set(null)
    }
  }
  const unusedDay = () =>
    WEEK.find(({ day }) => !schedule?.weekly.some((entry) => entry.weekday === day))?.day

  return (
    <Stack spacing={2} sx={{ width: '100%', my: 1 }} role="group" aria-label="Schedule">
      <Typography variant="subtitle1" component="h3">
        Schedule
      </Typography>
      <FormControlLabel
        control={<Switch checked={schedule !== null} onChange={(event) => toggle(event.target.checked)} />}
        label="Weekly schedule"
      />
      <Typography variant="body2" color="text.secondary">
        {schedule
          ? 'Slots start at each listed time (24-hour, the business’s local time) on the chosen weekdays.'
          : 'Off: any future time can be booked (1:1).'}
      </Typography>
      {errorAt(base) && <Typography color="error">{errorAt(base)}</Typography>}
      {schedule && (
        <>
          {schedule.weekly.map((entry, index) => (
            <WeekdayRow
              // biome-ignore lint/suspicious/noArrayIndexKey: a row's weekday may change while it is edited.
              key={index}
              entry={entry}
              index={index}
              path={`${base}.weekly.${index}`}
              errorAt={errorAt}
              onChange={(next) =>
                change({ weekly: schedule.weekly.map((old, at) => (at === index ? next : old)) })
              }
              onRemove={() => change({ weekly: schedule.weekly.filter((_old, at) => at !== index) })}
            />
          ))}
          {errorAt(`${base}.weekly`) && <Typography color="error">{errorAt(`${base}.weekly`)}</Typography>}
          <Stack direction="row">
            <Button
              label="Add weekday"
              disabled={!unusedDay()}
              onClick={() => {
                const day = unusedDay()
                if (day) change({ weekly: [...schedule.weekly, { weekday: day, times: ['09:00'] }] })
              }}
            >
              <AddIcon />
            </Button>
          </Stack>
          <Stack direction="row" spacing={2} flexWrap="wrap" useFlexGap>
            <TextField
              type="date"
              size="small"
              fullWidth={false}
              label="Starts on"
              required
              value={schedule.starts_on}
              error={Boolean(errorAt(`${base}.starts_on`))}
              helperText={errorAt(`${base}.starts_on`)}
              onChange={(event) => change({ starts_on: event.target.value })}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              type="date"
              size="small"
              fullWidth={false}
              label="Ends on"
              value={schedule.ends_on ?? ''}
              error={Boolean(errorAt(`${base}.ends_on`))}
              helperText={errorAt(`${base}.ends_on`) ?? 'Empty: open-ended.'}
              onChange={(event) => change({ ends_on: event.target.value || null })}
              slotProps={{ inputLabel: { shrink: true } }}
            />
          </Stack>
          <Typography variant="body2">Exceptions (dates without slots)</Typography>
          <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap alignItems="flex-start">
            {schedule.exceptions.map((day, at) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a date being typed has no identity yet.
              <Stack key={at} direction="row" alignItems="flex-start">
                <TextField
                  type="date"
                  size="small"
                  fullWidth={false}
                  label={`Exception ${at + 1}`}
                  value={day}
                  error={Boolean(errorAt(`${base}.exceptions.${at}`))}
                  helperText={errorAt(`${base}.exceptions.${at}`)}
                  onChange={(event) =>
                    change({
                      exceptions: schedule.exceptions.map((old, j) => (j === at ? event.target.value : old)),
                    })
                  }
                  slotProps={{ inputLabel: { shrink: true } }}
                />
                <IconButton
                  aria-label={`Remove exception date ${at + 1}`}
                  onClick={() => change({ exceptions: schedule.exceptions.filter((_old, j) => j !== at) })}
                >
                  <CloseIcon fontSize="small" />
                </IconButton>
              </Stack>
            ))}
            <Button
              label="Add exception"
              onClick={() => change({ exceptions: [...schedule.exceptions, today()] })}
            >
              <AddIcon />
            </Button>
          </Stack>
          {errorAt(`${base}.exceptions`) && (
            <Typography color="error">{errorAt(`${base}.exceptions`)}</Typography>
          )}
        </>
      )}
    </Stack>
  )
}
