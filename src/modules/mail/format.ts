// Dates and amounts as a reader expects them: on the business's wall clock with its zone named, since
// the recipient may live elsewhere, and money in the business's currency.

type WallClock = { weekday: string; day: string; month: string; year: string; hour: string; minute: string }

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant)
  const part = (type: keyof WallClock) => parts.find((piece) => piece.type === type)?.value ?? ''
  return {
    weekday: part('weekday'),
    day: part('day'),
    month: part('month'),
    year: part('year'),
    hour: part('hour'),
    minute: part('minute'),
  }
}

const dateOf = (clock: WallClock) => `${clock.weekday} ${clock.day} ${clock.month} ${clock.year}`
const timeOf = (clock: WallClock) => `${clock.hour}:${clock.minute}`

/** "Wednesday 1 July 2026, 17:00 (Europe/London)". */
export function formatInstant(instant: Date, timeZone: string): string {
  const clock = wallClock(instant, timeZone)
  return `${dateOf(clock)}, ${timeOf(clock)} (${timeZone})`
}

/** "Wednesday 1 July 2026, 17:00–18:00 (Europe/London)"; both dates when it ends on another day. */
export function formatPeriod(start: Date, end: Date, timeZone: string): string {
  const from = wallClock(start, timeZone)
  const to = wallClock(end, timeZone)
  const until = dateOf(from) === dateOf(to) ? timeOf(to) : `${dateOf(to)}, ${timeOf(to)}`
  return `${dateOf(from)}, ${timeOf(from)}–${until} (${timeZone})`
}

/** "€25.00" for ("25.00", "EUR"); the code and the number for a currency Intl does not know. */
export function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(Number(amount))
  } catch {
    return `${amount} ${currency}`
  }
}

/** The name a person goes by: first and last name when given, the username otherwise. */
export function personName(person: { firstName: string; lastName: string; username: string }): string {
  return `${person.firstName} ${person.lastName}`.trim() || person.username
}
