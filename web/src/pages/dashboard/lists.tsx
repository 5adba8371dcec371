// What the dashboard's lists share: the business's cursor-paged list, its team lists, its loading / error / empty
// states, the table around its rows, and the notice and error of the last action on a row.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { api, type RequestOptions } from '../../api/client'
import { Loading, Notice } from '../../ui/controls'
import { type Power, useDashboard } from './business'
import { ActionError, ReadError, TableRegion, TH } from './parts'

/** A list of the business (a page at a time through the cursor), and every row loaded so far. */
export function useBusinessList<T>(key: readonly unknown[], path: string, query: RequestOptions['query']) {
  const { business } = useDashboard()
  const list = useInfiniteQuery({
    queryKey: key,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      api.get<T[]>(path, { business: business.id, query: { ...query, cursor: pageParam } }),
    getNextPageParam: (last) => last.meta?.pagination.next_cursor ?? null,
  })
  const rows = list.data?.pages.flatMap((page) => page.data) ?? []
  return { list, rows }
}

/** The business's members or pending invitations (all of them: a team is small). */
export function useTeamList<T>(which: 'members' | 'invitations', enabled = true) {
  const { business } = useDashboard()
  return useQuery({
    queryKey: ['dashboard', business.id, which],
    enabled,
    queryFn: async () =>
      (
        await api.get<T[]>(`/api/businesses/${business.id}/${which}/`, {
          business: business.id,
          query: { page_size: 100 },
        })
      ).data,
  })
}

/** What the last action on a row did, or why it was refused. */
export function ActionNotices({
  notice,
  error,
  power,
  className = 'mb-4',
}: {
  notice: string | null
  error: unknown
  power: Power
  className?: string
}) {
  return (
    <div className={`${className} space-y-3`}>
      {notice ? <Notice>{notice}</Notice> : null}
      <ActionError error={error} power={power} />
    </div>
  )
}

/** A list's loading state, its read error, its empty state (when `empty` is given), else the list. */
export function ListStates({
  query,
  loading,
  what,
  power,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => unknown }
  /** "Loading bookings" */
  loading: string
  /** What a role that may not read it does not include: "the bookings". */
  what: string
  power: Power
  empty?: ReactNode
  children: ReactNode
}) {
  if (query.isPending) return <Loading what={loading} />
  if (query.error)
    return <ReadError error={query.error} power={power} what={what} onRetry={() => query.refetch()} />
  return empty ?? children
}

/** A header cell: its text, or content of its own (a checkbox) and extra classes. */
export type Column = string | { name: string; content?: ReactNode; className: string }

/** A table in a TableRegion; `width` is its least width (a `min-w-[…]` class), `false` columns are left out. */
export function DataTable({
  label,
  width,
  columns,
  children,
}: {
  label: string
  width: string
  columns: (Column | false)[]
  children: ReactNode
}) {
  return (
    <TableRegion label={label}>
      <table className={`w-full ${width} divide-y divide-slate-200`}>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((column) =>
              column === false ? null : typeof column === 'string' ? (
                <th key={column} scope="col" className={TH}>
                  {column}
                </th>
              ) : (
                <th key={column.name} scope="col" className={`${TH} ${column.className}`}>
                  {column.content ?? column.name}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </TableRegion>
  )
}
