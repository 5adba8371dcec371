// The signed-in customer's waiting-list entries through the public API: the ones still in line
// (waiting or offered) for the session page, and the query key every waiting-list view refreshes.
import { useQueries } from '@tanstack/react-query'
import { api } from '../../api/client'
import type { WaitlistEntry, WaitlistStatus } from '../../api/types'

export const WAITLIST = ['waitlist'] as const

/** The navigation state a claimed seat brings to My bookings, which confirms it. */
export type ClaimedState = { claimed: { title: string; start: string } }

const ACTIVE: WaitlistStatus[] = ['offered', 'waiting']
/** The API's largest page: nobody waits for more slots than that at once. */
const ACTIVE_PAGE_SIZE = 100

/** Whether the entry still holds a place in line or an offered seat. */
export function isActive(entry: WaitlistEntry): boolean {
  return ACTIVE.includes(entry.status)
}

/** The caller's entries in line (offered first), or none while signed out or loading. */
export function useActiveEntries(enabled: boolean): WaitlistEntry[] {
  const results = useQueries({
    queries: ACTIVE.map((status) => ({
      queryKey: [...WAITLIST, 'active', status],
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        (
          await api.get<WaitlistEntry[]>('/api/waitlist/', {
            query: { status, page_size: ACTIVE_PAGE_SIZE },
            signal,
          })
        ).data,
      enabled,
    })),
  })
  return results.flatMap((result) => result.data ?? [])
}

/** The active entry of one slot of a session, if the caller is in its line. */
export function entryForSlot(entries: WaitlistEntry[], sessionId: string, start: string) {
  const instant = new Date(start).getTime()
  return entries.find(
    (entry) => entry.session.id === sessionId && new Date(entry.booking_date).getTime() === instant,
  )
}

/** "1 h 05 min", "12 min", "less than a minute": how long until an instant, for an offer's deadline. */
export function timeLeft(until: string, now: number): string {
  const minutes = Math.floor((new Date(until).getTime() - now) / 60_000)
  if (minutes < 1) return 'less than a minute'
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest ? `${hours} h ${String(rest).padStart(2, '0')} min` : `${hours} h`
}
