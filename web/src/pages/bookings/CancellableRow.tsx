// A row of the customer's own bookings or appointments, with "Cancel" (asked once more) while it is
// upcoming and open.
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useRef } from 'react'
import { api } from '../../api/client'
import type { Status } from '../../api/types'
import { ConfirmCancel } from './ConfirmCancel'

export function CancellableRow({
  what,
  path,
  refresh,
  status,
  cancellable,
  children,
}: {
  what: 'booking' | 'appointment'
  /** POST here cancels it. */
  path: string
  /** The queries that show it, refreshed after the answer. */
  refresh: QueryKey[]
  status: Status
  /** Upcoming: past ones stay as they are. */
  cancellable: boolean
  children: ReactNode
}) {
  const client = useQueryClient()
  const row = useRef<HTMLLIElement>(null)
  const cancel = useMutation({
    mutationFn: () => api.post(path),
    // The question goes away with the row's open status: the focus stays on the row.
    onSuccess: () => row.current?.focus(),
    onSettled: () => {
      for (const queryKey of refresh) client.invalidateQueries({ queryKey })
    },
  })
  const open = status === 'pending' || status === 'confirmed'
  return (
    <li
      ref={row}
      tabIndex={-1}
      className="flex flex-col gap-3 p-4 outline-none sm:flex-row sm:items-center sm:justify-between"
    >
      {cancel.isSuccess ? (
        <p role="status" className="sr-only">
          {`${what === 'booking' ? 'Booking' : 'Appointment'} cancelled.`}
        </p>
      ) : null}
      <div className="min-w-0">{children}</div>
      {cancellable && open ? (
        <ConfirmCancel
          question={`Cancel this ${what}?`}
          confirmLabel={`Yes, cancel ${what}`}
          keepLabel={`Keep ${what}`}
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() => cancel.mutate()}
        />
      ) : null}
    </li>
  )
}
