// Which business the console acts in: kept in localStorage, sent as X-Business-ID by the data
// provider, and read by components through useSyncExternalStore so every view follows a switch.
import { useSyncExternalStore } from 'react'

const KEY = 'tessera.admin.business'
const listeners = new Set<() => void>()

export function currentBusinessId(): string | null {
  return localStorage.getItem(KEY)
}

export function chooseBusiness(id: string | null): void {
  if (id) localStorage.setItem(KEY, id)
  else localStorage.removeItem(KEY)
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useBusinessId(): string | null {
  return useSyncExternalStore(subscribe, currentBusinessId)
}
