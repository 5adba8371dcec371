// Pieces every console list shares: the toolbar (column choice, filters, export), the page sizes
// the API allows (at most 100 a page).
import type { ReactNode } from 'react'
import { FilterButton, Pagination, SelectColumnsButton, TopToolbar } from 'react-admin'

export const PAGE_SIZES = [10, 25, 50, 100]

export function ConsolePagination() {
  return <Pagination rowsPerPageOptions={PAGE_SIZES} />
}

/** The list's top toolbar: filters, column choice, and whatever else the list adds (exports, create). */
export function ListToolbar({ children, filters = true }: { children?: ReactNode; filters?: boolean }) {
  return (
    <TopToolbar>
      {filters && <FilterButton />}
      <SelectColumnsButton />
      {children}
    </TopToolbar>
  )
}
