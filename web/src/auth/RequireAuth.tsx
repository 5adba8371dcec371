// Pages for signed-in people: anyone else is sent to sign in and brought back afterwards.
import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { ErrorAlert, Loading } from '../ui/controls'
import { useAuth } from './session'

export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, error, refresh } = useAuth()
  const location = useLocation()
  if (loading) return <Loading />
  if (error) return <ErrorAlert error={error} onRetry={refresh} />
  if (!user)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
  return children
}
