// Dates, times and money as people read them, in their own locale.

export function formatMoney(amount: string, currency?: string | null): string {
  const value = Number(amount)
  if (!currency) return value.toFixed(2)
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value)
}

/** Day, month, year and time on the 24-hour clock: how every time is shown, here and in the console. */
export const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
}

/**
 * A date and time on the 24-hour clock, like every time the booking pages show. In a place's time
 * zone when it is known; otherwise in the reader's own, with the zone named so nobody guesses.
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  const zone: Intl.DateTimeFormatOptions = timeZone ? { timeZone } : { timeZoneName: 'short' }
  return new Intl.DateTimeFormat(undefined, { ...DATE_TIME_OPTIONS, ...zone }).format(new Date(iso))
}

export function formatDay(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso))
}

export function formatTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso))
}

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest ? `${hours} h ${rest} min` : `${hours} h`
}

export function personName(person: { username: string; first_name?: string; last_name?: string }): string {
  const full = [person.first_name, person.last_name].filter(Boolean).join(' ')
  return full || person.username
}
