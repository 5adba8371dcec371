// The signed-in customer's own lists, a page at a time (cursor pagination, "Load more").
import { useInfiniteQuery } from '@tanstack/react-query'
import { api } from '../../api/client'

type Query = Record<string, string | number | undefined>

export const PAGE_SIZE = 10

/** A cursor-paged list of the API: every loaded row, and the query to load more. */
export function usePagedList<T>(key: readonly unknown[], path: string, query: Query) {
  return useInfiniteQuery({
    queryKey: [...key, query],
    queryFn: async ({ pageParam, signal }) =>
      api.get<T[]>(path, { query: { ...query, page_size: PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.meta?.pagination.next_cursor ?? undefined,
  })
}

export function rowsOf<T>(data: { pages: { data: T[] }[] } | undefined): T[] {
  return data?.pages.flatMap((page) => page.data) ?? []
}
