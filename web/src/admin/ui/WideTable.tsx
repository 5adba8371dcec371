// A small table that may be wider than a phone: it scrolls sideways in its own box, and
// `contain: inline-size` keeps its width out of the page's, which would otherwise widen with it.
import { Table, TableContainer, type TableProps } from '@mui/material'

export function WideTable(props: TableProps) {
  return (
    <TableContainer sx={{ contain: 'inline-size' }}>
      <Table size="small" {...props} />
    </TableContainer>
  )
}
