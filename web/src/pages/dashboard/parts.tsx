// Small building blocks the dashboard sections share: a scrollable table region, a two-step
// confirmation, role notices, "load more", and the explanations for refused actions.
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { ApiError } from '../../api/client'
import { describeError } from '../../api/errors'
import { Button, buttonClass, ErrorAlert, FOCUS, Spinner } from '../../ui/controls'
import { type Power, roleName } from './business'

/** A wide table that scrolls sideways on a phone; focusable so keyboard users can scroll it too. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm ${FOCUS}`}
    >
      {children}
    </section>
  )
}

export const TH =
  'px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-700 whitespace-nowrap'
export const TD = 'px-3 py-3 align-top text-sm text-slate-800'

/** A button that asks once more before it acts: "Delete" → "Delete Yoga? [Yes, delete] [Keep it]". */
export function ConfirmButton({
  children,
  label,
  question,
  confirm,
  keep = 'Cancel',
  onConfirm,
  busy = false,
  variant = 'danger',
}: {
  children: ReactNode
  /** The accessible name of the first button, when its text alone is ambiguous in a list. */
  label?: string
  question: string
  confirm: string
  keep?: string
  onConfirm: () => void
  busy?: boolean
  variant?: 'danger' | 'secondary'
}) {
  const [asking, setAsking] = useState(false)
  const yes = useRef<HTMLButtonElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)
  const opened = useRef(false)
  useEffect(() => {
    if (asking) yes.current?.focus()
    else if (opened.current) trigger.current?.focus()
    opened.current = asking
  }, [asking])
  if (!asking)
    return (
      <button
        ref={trigger}
        type="button"
        className={buttonClass('secondary')}
        aria-label={label}
        onClick={() => setAsking(true)}
      >
        {children}
      </button>
    )
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons with its question as the name
    <div role="group" aria-label={question} className="flex flex-wrap items-center gap-2 whitespace-nowrap">
      <span className="text-sm font-medium text-slate-900">{question}</span>
      <button
        ref={yes}
        type="button"
        className={buttonClass(variant)}
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={onConfirm}
      >
        {busy ? <Spinner small /> : null}
        {confirm}
      </button>
      <Button variant="secondary" onClick={() => setAsking(false)} disabled={busy}>
        {keep}
      </Button>
    </div>
  )
}

/** A plain-words notice for what the caller's role leaves out (shown instead of a red error). */
export function RoleNotice({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-950">
      {children}
    </div>
  )
}

export const isForbidden = (error: unknown) => error instanceof ApiError && error.status === 403

/**
 * The error of a failed read: a 403 in the words of the caller's role, anything else as ErrorAlert.
 */
export function ReadError({
  error,
  power,
  what,
  onRetry,
}: {
  error: unknown
  power: Power
  what: string
  onRetry?: () => void
}) {
  if (isForbidden(error))
    return (
      <div
        role="alert"
        className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950"
      >
        Your role ({roleName(power)}) does not include {what}. Ask an owner or admin of the business if you
        need it.
      </div>
    )
  return <ErrorAlert error={error} {...(onRetry ? { onRetry } : {})} />
}

/** Why an action was refused, with a sentence more for the codes the dashboard meets most. */
export function ActionError({ error, power }: { error: unknown; power: Power }) {
  if (!error) return null
  let extra = ''
  if (error instanceof ApiError) {
    if (error.code === 'invalid_transition')
      extra = 'Someone may have changed it meanwhile: the list now shows its current status.'
    else if (error.status === 403) extra = `Your role (${roleName(power)}) does not allow this.`
    else if (error.status === 404) extra = 'It may have been removed meanwhile.'
  }
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      <p>
        {describeError(error)} {extra}
      </p>
    </div>
  )
}

/** "Load more …" while a cursor-paged list has more pages. */
export function LoadMore({
  what,
  list,
}: {
  what: string
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }
}) {
  if (!list.hasNextPage) return null
  return (
    <div className="mt-4 flex justify-center">
      <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
        Load more {what}
      </Button>
    </div>
  )
}

/** A compact filter bar that wraps on phones. */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a named group of filter fields, not a form to submit
    <div
      role="group"
      aria-label={label}
      className="mb-4 grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm lg:grid-cols-5"
    >
      {children}
    </div>
  )
}

/** `YYYY-MM-DD` as a readable date without shifting it across time zones. */
export function formatLocalDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number)
  if (!year || !month || !date) return day
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date)),
  )
}

/** Today's date in the browser's zone, `YYYY-MM-DD`. */
export function todayLocal(): string {
  const now = new Date()
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
