// One slot of a class: "Book 09:00" with the seats left; a full slot offers its waiting list (or a
// sign-in that comes back here), and once in line shows the place in it, or the seat offered.
import { useEffect, useId, useRef } from 'react'
import type { Slot, WaitlistEntry } from '../../api/types'
import { Button, ButtonLink } from '../../ui/controls'
import { clockTime } from '../catalog/time'

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

/** What a slot's cell says about its seats: "3 seats left", "Full · 2 waiting". */
export function seatsText(slot: Slot): string {
  if (slot.seats_left > 0) return `${plural(slot.seats_left, 'seat', 'seats')} left`
  return slot.waiting > 0 ? `Full · ${slot.waiting} waiting` : 'Full'
}

const ROW = 'col-span-full flex flex-wrap items-center justify-between gap-2 rounded-md border px-3 py-2'

export type SlotActions = {
  /** Signed in and allowed to book this slot. */
  canBook: boolean
  /** Signed out: where "sign in" leads (and comes back from). */
  loginLink: string | null
  /** The caller's place in this slot's line, if any. */
  entry: WaitlistEntry | undefined
  /** This slot's booking, joining or leaving is under way. */
  busy: 'book' | 'join' | 'leave' | null
  /** Another slot's request is under way. */
  disabled: boolean
  /** Just joined or left this slot's line: its action (leave, or join again) takes the focus. */
  focus: boolean
  onBook: () => void
  onJoin: () => void
  onLeave: (entry: WaitlistEntry) => void
}

export function SlotItem({
  slot,
  timeZone,
  actions,
}: {
  slot: Slot
  timeZone: string | undefined
  actions: SlotActions
}) {
  const textId = useId()
  const item = useRef<HTMLLIElement>(null)
  const { canBook, loginLink, entry, busy, disabled, focus } = actions
  // The button pressed gives way to another once the line is read again: the focus follows it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again when the entry comes or goes, by design
  useEffect(() => {
    if (focus) item.current?.querySelector<HTMLElement>('button, a')?.focus()
  }, [focus, entry?.id])
  const time = clockTime(slot.start, timeZone)
  const full = slot.seats_left <= 0
  const seats = seatsText(slot)

  if (entry?.status === 'offered')
    return (
      <li ref={item} className={`${ROW} border-emerald-300 bg-emerald-50`}>
        <p id={textId} className="text-sm text-emerald-950">
          <span className="font-semibold">{time}</span> · A seat is held for you
          {entry.offer_expires_at ? ` until ${clockTime(entry.offer_expires_at)}` : ''}
        </p>
        <ButtonLink to={`/waitlist?entry=${entry.id}`} aria-describedby={textId}>
          Claim your seat
        </ButtonLink>
      </li>
    )
  if (entry)
    return (
      <li ref={item} className={`${ROW} border-indigo-200 bg-indigo-50`}>
        <p id={textId} className="text-sm text-indigo-950">
          <span className="font-semibold">{time}</span> · You're on the waiting list — position{' '}
          {entry.position}
        </p>
        <Button
          variant="secondary"
          busy={busy === 'leave'}
          disabled={disabled}
          aria-describedby={textId}
          onClick={() => actions.onLeave(entry)}
        >
          Leave the waiting list
        </Button>
      </li>
    )
  if (full && (canBook || loginLink))
    return (
      <li ref={item} className={`${ROW} border-slate-200 bg-slate-50`}>
        <p id={textId} className="text-sm">
          <span className="font-semibold text-slate-900">{time}</span>{' '}
          <span className="text-red-800">· {seats}</span>
        </p>
        {loginLink ? (
          <ButtonLink to={loginLink} variant="secondary" aria-describedby={textId}>
            Sign in to join the waiting list
          </ButtonLink>
        ) : (
          <Button
            variant="secondary"
            busy={busy === 'join'}
            disabled={disabled}
            aria-describedby={textId}
            onClick={actions.onJoin}
          >
            Join the waiting list
          </Button>
        )}
      </li>
    )
  if (!canBook)
    return (
      <li ref={item} className="rounded-md border border-slate-200 px-3 py-2 text-sm">
        <span className="font-semibold text-slate-900">{time}</span>
        <span className={`block text-xs ${full ? 'text-red-800' : 'text-slate-700'}`}>{seats}</span>
      </li>
    )
  return (
    <li ref={item} className="flex flex-col gap-1">
      <Button
        variant="secondary"
        className="w-full"
        busy={busy === 'book'}
        disabled={disabled}
        aria-describedby={textId}
        onClick={actions.onBook}
      >
        Book {time}
      </Button>
      <span id={textId} className="text-center text-xs text-slate-700">
        {seats}
      </span>
    </li>
  )
}
