// Bulk Activate / Deactivate on the session list: one all-or-nothing request to
// POST /api/sessions/bulk/ in the business the console acts in. A refusal names every failing item
// (`update[2].id`), which the notification turns back into the sessions' titles.
import CheckCircleIcon from '@mui/icons-material/CheckCircle'
import PauseCircleIcon from '@mui/icons-material/PauseCircle'
import { useMutation } from '@tanstack/react-query'
import { type Identifier, useListContext, useNotify, useRefresh } from 'react-admin'
import { api } from '../../../api/client'
import { describeError, fieldErrors } from '../../../api/errors'
import type { Session } from '../../../api/types'
import { businessHeader } from '../../dataProvider'
import { Button } from '../../ui/buttons'

type Status = Session['status']

/** What went wrong, item by item: "“Morning flow”: You may not change this session." */
function bulkErrorText(error: unknown, ids: Identifier[], sessions: Session[] | undefined): string {
  const items = Object.entries(fieldErrors(error)).map(([key, message]) => {
    const index = /^update\[(\d+)\]/.exec(key)?.[1]
    const id = index === undefined ? undefined : ids[Number(index)]
    const title = sessions?.find((session) => session.id === id)?.title
    return title ? `“${title}”: ${message}` : `${key}: ${message}`
  })
  const head = describeError(error)
  return items.length ? `Nothing was changed. ${head} ${items.join(' ')}` : head
}

function BulkStatusButton({ status }: { status: Status }) {
  const { selectedIds, data, onUnselectItems } = useListContext<Session>()
  const notify = useNotify()
  const refresh = useRefresh()
  const label = status === 'active' ? 'Activate' : 'Deactivate'
  const change = useMutation({
    mutationFn: (ids: Identifier[]) =>
      api.post('/api/sessions/bulk/', { update: ids.map((id) => ({ id, status })) }, businessHeader()),
    onSuccess: (_body, ids) => {
      const count = ids.length === 1 ? '1 session' : `${ids.length} sessions`
      notify(`${count} ${status === 'active' ? 'activated' : 'deactivated'}.`, { type: 'success' })
      onUnselectItems()
      refresh()
    },
    onError: (error, ids) => notify(bulkErrorText(error, ids, data), { type: 'error', multiLine: true }),
  })
  return (
    <Button label={label} disabled={change.isPending} onClick={() => change.mutate([...selectedIds])}>
      {status === 'active' ? <CheckCircleIcon /> : <PauseCircleIcon />}
    </Button>
  )
}

export function SessionBulkActions() {
  return (
    <>
      <BulkStatusButton status="active" />
      <BulkStatusButton status="inactive" />
    </>
  )
}
