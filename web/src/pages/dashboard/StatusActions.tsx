// The status changes staff make to a booking or a reservation: pending → confirm or cancel,
// confirmed → complete or cancel. Cancelling asks once more, since the customer is told.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client'
import type { Status } from '../../api/types'
import { Button } from '../../ui/controls'
import { ConfirmButton } from './parts'

export type Action = 'confirm' | 'complete' | 'cancel'

const PAST: Record<Action, string> = { confirm: 'confirmed', complete: 'completed', cancel: 'cancelled' }

export function actionsFor(status: Status): Action[] {
  if (status === 'pending') return ['confirm', 'cancel']
  if (status === 'confirmed') return ['complete', 'cancel']
  return []
}

/**
 * POST /api/{bookings|reservations}/{id}/{action}/ in the business, then refreshes the business's
 * lists and figures. `notice` says what happened; a refused change (say `invalid_transition` because
 * someone else got there first) refreshes the list too so it shows the current status.
 */
export function useStatusAction(kind: 'bookings' | 'reservations', businessId: string) {
  const client = useQueryClient()
  const [notice, setNotice] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: async ({ id, action }: { id: string; action: Action; what: string }) =>
      api.post(`/api/${kind}/${id}/${action}/`, {}, { business: businessId }),
    onMutate: () => setNotice(null),
    onSuccess: (_, { action, what }) => setNotice(`${what} ${PAST[action]}.`),
    onSettled: () => client.invalidateQueries({ queryKey: ['dashboard', businessId] }),
  })
  return { mutation, notice }
}

export function StatusActions({
  status,
  id,
  what,
  mutation,
}: {
  status: Status
  id: string
  /** Names the row for screen readers: "booking for demo_alice on 3 May 2027, 09:00". */
  what: string
  mutation: ReturnType<typeof useStatusAction>['mutation']
}) {
  const pending = mutation.isPending && mutation.variables?.id === id ? mutation.variables.action : null
  const onAct = (action: Action) =>
    mutation.mutate({ id, action, what: what.charAt(0).toUpperCase() + what.slice(1) })
  const actions = actionsFor(status)
  if (actions.length === 0) return <span className="text-sm text-slate-600">No actions</span>
  return (
    <div className="flex flex-nowrap items-start gap-2">
      {actions.includes('confirm') ? (
        <Button
          aria-label={`Confirm ${what}`}
          busy={pending === 'confirm'}
          disabled={pending !== null}
          onClick={() => onAct('confirm')}
        >
          Confirm
        </Button>
      ) : null}
      {actions.includes('complete') ? (
        <Button
          variant="secondary"
          aria-label={`Complete ${what}`}
          busy={pending === 'complete'}
          disabled={pending !== null}
          onClick={() => onAct('complete')}
        >
          Complete
        </Button>
      ) : null}
      <ConfirmButton
        label={`Cancel ${what}`}
        question={`Cancel this ${what.split(' ')[0]}?`}
        confirm="Yes, cancel it"
        keep="Keep it"
        busy={pending === 'cancel'}
        onConfirm={() => onAct('cancel')}
      >
        Cancel
      </ConfirmButton>
    </div>
  )
}
