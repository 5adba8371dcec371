// The schedule of a session: "Any time (1:1)" (no schedule: any future instant is a slot) or fixed
// weekly times (a group class) between a start date and an optional end, minus exception dates. It
// edits a draft; scheduleFrom() turns the draft into the API's `schedule` object.
import { useId, useRef, useState } from 'react'
import type { Schedule } from '../../api/types'
import { Button, FOCUS } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { formatLocalDate, todayLocal } from './parts'
import { WEEK, type Weekday } from './sessions'

type Time = { key: number; value: string }
export type ScheduleDraft = {
  fixed: boolean
  days: Record<Weekday, Time[]>
  startsOn: string
  endsOn: string
  exceptions: string[]
}

let nextKey = 1
const time = (value: string): Time => ({ key: nextKey++, value })

const emptyDays = (): Record<Weekday, Time[]> => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
})

export function draftFrom(schedule: Schedule | null | undefined): ScheduleDraft {
  const days = emptyDays()
  for (const entry of schedule?.weekly ?? []) days[entry.weekday] = entry.times.map(time)
  return {
    fixed: Boolean(schedule),
    days,
    startsOn: schedule?.starts_on ?? todayLocal(),
    endsOn: schedule?.ends_on ?? '',
    exceptions: schedule?.exceptions ?? [],
  }
}

/** The API's schedule (null for any time) and which weekday each `weekly[i]` is, to place errors. */
export function scheduleFrom(draft: ScheduleDraft): { schedule: Schedule | null; order: Weekday[] } {
  if (!draft.fixed) return { schedule: null, order: [] }
  const weekly = WEEK.flatMap(({ day }) => {
    const times = draft.days[day].map((item) => item.value).filter(Boolean)
    return times.length > 0 ? [{ weekday: day, times }] : []
  })
  return {
    schedule: {
      weekly,
      starts_on: draft.startsOn,
      ends_on: draft.endsOn || null,
      exceptions: [...draft.exceptions].sort(),
    },
    order: weekly.map((entry) => entry.weekday),
  }
}

type Placed = {
  general: string[]
  days: Partial<Record<Weekday, string[]>>
  startsOn?: string
  endsOn?: string
  exceptions?: string
}

/** Sorts the server's `schedule…` field errors to the part of the editor they concern. */
function placeErrors(errors: Record<string, string>, order: Weekday[]): Placed {
  const placed: Placed = { general: [], days: {} }
  const keys = Object.keys(errors).filter((key) => key.startsWith('schedule'))
  for (const [key, raw] of Object.entries(errors)) {
    if (!key.startsWith('schedule')) continue
    // "schedule: Not a valid choice" only sums up (object or null) what the nested keys say better.
    if (key === 'schedule' && keys.length > 1) continue
    const message = /fewer than 1 item/i.test(raw) ? 'Add at least one time.' : raw
    const day = /^schedule\.weekly\[(\d+)\]/.exec(key)
    const weekday = day ? order[Number(day[1])] : undefined
    if (weekday) placed.days[weekday] = [...(placed.days[weekday] ?? []), message]
    else if (key === 'schedule.starts_on') placed.startsOn = message
    else if (key === 'schedule.ends_on') placed.endsOn = message
    else if (key.startsWith('schedule.exceptions'))
      placed.exceptions = [placed.exceptions, message].filter(Boolean).join(' ')
    else placed.general.push(key === 'schedule.weekly' ? `Weekly times: ${message}` : message)
  }
  return placed
}

function laterTime(last: string | undefined): string {
  if (!last) return '09:00'
  const hour = Math.min(23, Number(last.slice(0, 2)) + 1)
  return `${String(hour).padStart(2, '0')}:${last.slice(3, 5) || '00'}`
}

export function ScheduleEditor({
  draft,
  onChange,
  errors,
  order,
}: {
  draft: ScheduleDraft
  onChange: (draft: ScheduleDraft) => void
  errors: Record<string, string>
  order: Weekday[]
}) {
  const id = useId()
  const placed = placeErrors(errors, order)
  const [exception, setException] = useState('')
  const container = useRef<HTMLDivElement>(null)

  const setDay = (day: Weekday, times: Time[]) =>
    onChange({ ...draft, days: { ...draft.days, [day]: times } })
  function addTime(day: Weekday) {
    const added = time(laterTime(draft.days[day].at(-1)?.value))
    setDay(day, [...draft.days[day], added])
    // Keyboard users land on the new time, ready to type it.
    requestAnimationFrame(() =>
      container.current?.querySelector<HTMLInputElement>(`[data-time="${added.key}"]`)?.focus(),
    )
  }
  function addException() {
    if (!exception || draft.exceptions.includes(exception)) return
    onChange({ ...draft, exceptions: [...draft.exceptions, exception].sort() })
    setException('')
  }
  const hasErrors = placed.general.length > 0 || Object.keys(placed.days).length > 0

  return (
    <fieldset
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
      aria-describedby={hasErrors ? `${id}-errors` : undefined}
    >
      <legend className="px-1 text-base font-semibold text-slate-900">Schedule</legend>
      <div className="flex flex-col gap-2 sm:flex-row sm:gap-6">
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="radio"
            name={`${id}-mode`}
            className="mt-1 h-4 w-4 accent-indigo-700"
            checked={!draft.fixed}
            onChange={() => onChange({ ...draft, fixed: false })}
          />
          <span>
            <span className="font-medium">Any time (1:1)</span>
            <span className="block text-slate-600">Customers pick any future time.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="radio"
            name={`${id}-mode`}
            className="mt-1 h-4 w-4 accent-indigo-700"
            checked={draft.fixed}
            onChange={() => onChange({ ...draft, fixed: true })}
          />
          <span>
            <span className="font-medium">Fixed times (group class)</span>
            <span className="block text-slate-600">Set weekly times, in the business's time zone.</span>
          </span>
        </label>
      </div>
      {hasErrors ? (
        <ul id={`${id}-errors`} className="list-disc space-y-1 pl-5 text-sm text-red-700">
          {placed.general.map((message) => (
            <li key={message}>{message}</li>
          ))}
          {WEEK.filter(({ day }) => placed.days[day]).map(({ day, name }) => (
            <li key={day}>
              {name}: {placed.days[day]?.join(' ')}
            </li>
          ))}
        </ul>
      ) : null}
      {draft.fixed ? (
        <div ref={container} className="space-y-4">
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {WEEK.map(({ day, name }) => {
              const times = draft.days[day]
              const dayError = placed.days[day]?.join(' ')
              return (
                <li key={day} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-start">
                  <span id={`${id}-${day}`} className="w-28 shrink-0 pt-2 text-sm font-medium text-slate-900">
                    {name}
                  </span>
                  <div className="flex flex-1 flex-col gap-2">
                    {/* biome-ignore lint/a11y/useSemanticElements: the day's times as one named group */}
                    <div
                      role="group"
                      aria-labelledby={`${id}-${day}`}
                      className="flex flex-wrap items-center gap-2"
                    >
                      {times.length === 0 ? <span className="text-sm text-slate-600">No times</span> : null}
                      {times.map((item, index) => (
                        <span
                          key={item.key}
                          className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white pl-2"
                        >
                          <label htmlFor={`${id}-t${item.key}`} className="sr-only">
                            {name} time {index + 1}
                          </label>
                          <input
                            id={`${id}-t${item.key}`}
                            data-time={item.key}
                            type="time"
                            required
                            value={item.value}
                            aria-invalid={dayError ? true : undefined}
                            onChange={(event) =>
                              setDay(
                                day,
                                times.map((other) =>
                                  other.key === item.key ? { ...other, value: event.target.value } : other,
                                ),
                              )
                            }
                            className="rounded border-0 py-1.5 text-base text-slate-900 focus:outline-none focus:ring-2 focus:ring-indigo-600/40"
                          />
                          <button
                            type="button"
                            aria-label={`Remove ${name} ${item.value || `time ${index + 1}`}`}
                            onClick={() =>
                              setDay(
                                day,
                                times.filter((other) => other.key !== item.key),
                              )
                            }
                            className={`min-h-9 rounded-r-md px-2 text-lg leading-none text-slate-700 hover:bg-red-50 hover:text-red-800 ${FOCUS}`}
                          >
                            <span aria-hidden="true">×</span>
                          </button>
                        </span>
                      ))}
                      <Button variant="ghost" onClick={() => addTime(day)} aria-label={`Add time on ${name}`}>
                        <span aria-hidden="true">+</span> Add time
                      </Button>
                    </div>
                    {dayError ? <p className="text-sm text-red-700">{dayError}</p> : null}
                  </div>
                </li>
              )
            })}
          </ul>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Starts on"
              type="date"
              required
              value={draft.startsOn}
              onChange={(event) => onChange({ ...draft, startsOn: event.target.value })}
              error={placed.startsOn}
            />
            <TextField
              label="Ends on (optional)"
              type="date"
              value={draft.endsOn}
              min={draft.startsOn || undefined}
              onChange={(event) => onChange({ ...draft, endsOn: event.target.value })}
              error={placed.endsOn}
              hint="Leave empty to keep it going."
            />
          </div>
          <div className="space-y-2">
            <div className="flex flex-wrap items-end gap-2">
              <div className="w-full sm:w-56">
                <TextField
                  label="Exception date"
                  type="date"
                  value={exception}
                  onChange={(event) => setException(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault()
                      addException()
                    }
                  }}
                  error={placed.exceptions}
                  hint="A day without classes, such as a holiday."
                />
              </div>
              <Button variant="secondary" onClick={addException} disabled={!exception} className="mb-6">
                Add exception
              </Button>
            </div>
            {draft.exceptions.length > 0 ? (
              <ul aria-label="Exception dates" className="flex flex-wrap gap-2">
                {draft.exceptions.map((day) => (
                  <li
                    key={day}
                    className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pl-3 pr-1 text-sm text-slate-900"
                  >
                    {formatLocalDate(day)}
                    <button
                      type="button"
                      aria-label={`Remove exception ${formatLocalDate(day)}`}
                      onClick={() =>
                        onChange({ ...draft, exceptions: draft.exceptions.filter((other) => other !== day) })
                      }
                      className={`h-7 w-7 rounded-full text-base leading-none text-slate-700 hover:bg-red-100 hover:text-red-800 ${FOCUS}`}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">No exception dates.</p>
            )}
          </div>
        </div>
      ) : null}
    </fieldset>
  )
}
