// Export buttons: the API's streamed CSV or JSON export with the list's current filters, in the
// business the console acts in. The file is fetched with the session cookie and X-Business-ID (a
// plain link cannot send the header) and handed to the browser as a download.
import DataObjectIcon from '@mui/icons-material/DataObject'
import TableViewIcon from '@mui/icons-material/TableView'
import { useState } from 'react'
import { useListContext, useNotify } from 'react-admin'
import { ApiError, withQuery } from '../../api/client'
import { describeError } from '../../api/errors'
import { currentBusinessId } from '../business'
import { filterQuery } from '../dataProvider'
import { Button } from './buttons'

async function download(path: string, filename: string) {
  const business = currentBusinessId()
  const response = await fetch(path, {
    credentials: 'same-origin',
    headers: business ? { 'X-Business-ID': business } : {},
  })
  if (!response.ok) {
    const body = await response.json().catch(() => ({}))
    throw new ApiError(response.status, body.code ?? 'server_error', body.message ?? '', body.errors ?? {})
  }
  const url = URL.createObjectURL(await response.blob())
  const link = Object.assign(document.createElement('a'), { href: url, download: filename })
  link.click()
  URL.revokeObjectURL(url)
}

export function ExportButtons({ resource }: { resource: 'sessions' | 'bookings' | 'reservations' }) {
  const { filterValues } = useListContext()
  const notify = useNotify()
  const [busy, setBusy] = useState(false)
  const exportAs = async (format: 'csv' | 'json') => {
    setBusy(true)
    try {
      const path = withQuery(`/api/${resource}/export/`, { ...filterQuery(filterValues), format })
      await download(path, `${resource}-${new Date().toISOString().slice(0, 10)}.${format}`)
    } catch (error) {
      notify(describeError(error), { type: 'error' })
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button label="Export CSV" onClick={() => exportAs('csv')} disabled={busy}>
        <TableViewIcon />
      </Button>
      <Button label="Export JSON" onClick={() => exportAs('json')} disabled={busy}>
        <DataObjectIcon />
      </Button>
    </>
  )
}
