// Who is signed in: the profile behind the session cookie, shared through TanStack Query under
// ['me'] (null when nobody is). Signing in or out refreshes everything the app holds.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { ApiError, api } from '../api/client'
import type { Business, User } from '../api/types'

export const ME = ['me'] as const

async function fetchMe(): Promise<User | null> {
  try {
    return (await api.get<User>('/api/auth/profile/')).data
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

export type Credentials = { login: string; password: string; otp?: string }

export function useAuth() {
  const client = useQueryClient()
  const me = useQuery({ queryKey: ME, queryFn: fetchMe, staleTime: 60_000 })
  const signIn = useCallback(
    async ({ login, password, otp }: Credentials) => {
      const identifier = login.includes('@') ? { email: login } : { username: login }
      const body = { ...identifier, password, ...(otp ? { otp } : {}) }
      const { data } = await api.post<{ user: User }>('/api/auth/session/login/', body)
      client.clear()
      client.setQueryData(ME, data.user)
      return data.user
    },
    [client],
  )
  const signOut = useCallback(async () => {
    await api.post('/api/auth/session/logout/')
    client.clear()
    client.setQueryData(ME, null)
  }, [client])
  return {
    user: me.data ?? null,
    loading: me.isPending,
    error: me.error,
    signIn,
    signOut,
    refresh: () => client.invalidateQueries({ queryKey: ME }),
  }
}

/** The businesses the signed-in user belongs to (with their role), for staff pages. */
export function useMemberships(enabled = true) {
  return useQuery({
    queryKey: ['memberships'],
    queryFn: async () => (await api.get<Business[]>('/api/businesses/', { query: { page_size: 100 } })).data,
    enabled,
    staleTime: 60_000,
  })
}
