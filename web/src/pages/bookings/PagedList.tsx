// A list of the customer's own, as it loads: a loading line, the read error, its empty state, the
// rows, and "Load more" while there are more.
import type { ReactNode } from 'react'
import { Button, ErrorAlert } from '../../ui/controls'

type PagedQuery = {
  isPending: boolean
  isError: boolean
  data: unknown
  error: unknown
  refetch: () => unknown
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => unknown
}

export function PagedList({
  list,
  loading,
  empty,
  children,
}: {
  list: PagedQuery
  /** "Loading your bookings…" */
  loading: string
  /** Shown instead of the list when it is given: no rows. */
  empty: ReactNode
  /** The rows (`li` elements). */
  children: ReactNode
}) {
  return (
    <>
      {list.isPending ? (
        <p className="text-sm text-slate-700" role="status">
          {loading}
        </p>
      ) : list.isError && !list.data ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : (
        (empty ?? (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {children}
          </ul>
        ))
      )}
      {list.hasNextPage ? (
        <div>
          <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  )
}
