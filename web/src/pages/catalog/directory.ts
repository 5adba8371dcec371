// The public directory of businesses (GET /api/directory/), shared by the catalog, session,
// bookings and appointments pages: names, time zones, currencies, opening hours and staff.
import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client'
import type { DirectoryBusiness } from '../../api/types'

export const DIRECTORY = ['directory'] as const

/** Every active business (the first 100 by name: enough for a picker). */
export function useDirectory() {
  return useQuery({
    queryKey: [...DIRECTORY, 'list'],
    queryFn: async () =>
      (await api.get<DirectoryBusiness[]>('/api/directory/', { query: { page_size: 100 } })).data,
    staleTime: 5 * 60_000,
  })
}

/** One business of the directory; undefined while loading or when it cannot be read. */
export function useDirectoryEntry(id: string | undefined) {
  return useQuery({
    queryKey: [...DIRECTORY, 'entry', id],
    queryFn: async () => (await api.get<DirectoryBusiness>(`/api/directory/${id}/`)).data,
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  })
}
