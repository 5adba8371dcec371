// What the bookings and reservations lists share: the status moves Confirm, Complete and Cancel for
// the selected rows and for one record (enabled only for the moves the API allows, with one sentence
// saying how many moved and why any failed), the prompt to choose a business, and the error state
// with its pagination hidden. The audit log uses the last two as well.
import CancelIcon from '@mui/icons-material/Cancel'
import CheckIcon from '@mui/icons-material/Check'
import DoneAllIcon from '@mui/icons-material/DoneAll'
import { Alert, Box } from '@mui/material'
import { type ReactNode, useState } from 'react'
import { type Identifier, Title, useListContext, useNotify, useRecordContext, useRefresh } from 'react-admin'
import { api } from '../../api/client'
import { describeError } from '../../api/errors'
import type { Status } from '../../api/types'
import { type Power, useAccess } from '../access'
import { businessHeader } from '../dataProvider'
import { Button } from './buttons'
import { ConsolePagination } from './lists'

type Move = 'confirm' | 'complete' | 'cancel'

const MOVES: Record<Move, { label: string; done: Status; from: readonly Status[]; icon: ReactNode }> = {
  confirm: { label: 'Confirm', done: 'confirmed', from: ['pending'], icon: <CheckIcon /> },
  complete: { label: 'Complete', done: 'completed', from: ['confirmed'], icon: <DoneAllIcon /> },
  cancel: { label: 'Cancel', done: 'cancelled', from: ['pending', 'confirmed'], icon: <CancelIcon /> },
}

const ORDER: Move[] = ['confirm', 'complete', 'cancel']

/** The statuses, for the lists' Status filter. */
export const STATUS_CHOICES = [
  { id: 'pending', name: 'Pending' },
  { id: 'confirmed', name: 'Confirmed' },
  { id: 'completed', name: 'Completed' },
  { id: 'cancelled', name: 'Cancelled' },
]

/** What the moves act on: the API path, the nouns the messages use, the power they need. */
export type Movable = { path: string; one: string; many: string; power: Power }

type Report = { message: string; type: 'success' | 'warning' | 'error' }

/** "3 bookings confirmed", or how many failed and why, each distinct reason once with its count. */
export function moveReport(target: Movable, move: Move, moved: number, reasons: string[]): Report {
  const count = (n: number) => `${n} ${n === 1 ? target.one : target.many}`
  const done = MOVES[move].done
  if (reasons.length === 0) return { message: `${count(moved)} ${done}`, type: 'success' }
  const counted = new Map<string, number>()
  for (const reason of reasons) counted.set(reason, (counted.get(reason) ?? 0) + 1)
  const why = [...counted].map(([reason, n]) => (counted.size > 1 ? `${reason} (${n})` : reason)).join(' ')
  if (moved === 0) return { message: `${count(reasons.length)} not ${done}: ${why}`, type: 'error' }
  return { message: `${count(moved)} ${done}; ${reasons.length} failed: ${why}`, type: 'warning' }
}

async function runMove(target: Movable, move: Move, ids: Identifier[]): Promise<Report> {
  const results = await Promise.allSettled(
    ids.map((id) =>
      api.post(`${target.path}/${encodeURIComponent(String(id))}/${move}/`, undefined, businessHeader()),
    ),
  )
  const reasons = results.flatMap((result) =>
    result.status === 'rejected' ? [describeError(result.reason)] : [],
  )
  return moveReport(target, move, ids.length - reasons.length, reasons)
}

function useMove(target: Movable) {
  const notify = useNotify()
  const refresh = useRefresh()
  const [busy, setBusy] = useState(false)
  const run = async (move: Move, ids: Identifier[], after?: () => void) => {
    setBusy(true)
    try {
      const report = await runMove(target, move, ids)
      notify(report.message, { type: report.type })
      after?.()
      refresh()
    } finally {
      setBusy(false)
    }
  }
  return { busy, run }
}

/** The bulk actions of a list: each selected record is moved on its own, then one report. */
export function StatusBulkButtons({ target }: { target: Movable }) {
  const { selectedIds, onUnselectItems } = useListContext()
  const { busy, run } = useMove(target)
  return (
    <>
      {ORDER.map((move) => (
        <Button
          key={move}
          label={MOVES[move].label}
          disabled={busy}
          onClick={() => run(move, selectedIds, () => onUnselectItems())}
        >
          {MOVES[move].icon}
        </Button>
      ))}
    </>
  )
}

/** One record's moves (a list row or a detail), each enabled only when its status allows it. */
export function StatusButtons({ target }: { target: Movable; label?: string }) {
  const record = useRecordContext<{ id: Identifier; status: Status }>()
  const access = useAccess()
  const { busy, run } = useMove(target)
  if (!record || !access.can(target.power)) return null
  return (
    <Box sx={{ display: 'flex', flexWrap: 'nowrap' }}>
      {ORDER.map((move) => (
        <Button
          key={move}
          label={MOVES[move].label}
          disabled={busy || !MOVES[move].from.includes(record.status)}
          onClick={(event) => {
            event.stopPropagation()
            run(move, [record.id])
          }}
        >
          {MOVES[move].icon}
        </Button>
      ))}
    </Box>
  )
}

/**
 * A platform admin acting platform-wide would get only their own records from these lists: they
 * are asked to choose a business instead.
 */
export function BusinessRequired({
  title,
  noun,
  children,
}: {
  title: string
  noun: string
  children: ReactNode
}) {
  const access = useAccess()
  if (!access.platformAdmin || access.businessId !== null) return children
  return (
    <Box sx={{ py: 2 }}>
      <Title title={title} />
      <Alert severity="info">Choose a business in the switcher above to see its {noun}.</Alert>
    </Box>
  )
}

/** The page sizes, hidden while the list shows an error (its counts would mean nothing). */
export function ListPagination() {
  const { error } = useListContext()
  return error ? null : <ConsolePagination />
}

/** A list's error in clear words (the data provider already turned the API's code into them). */
export function ListErrorAlert() {
  const { error } = useListContext()
  return (
    <Alert severity="error" role="alert" sx={{ m: 2 }}>
      {error?.message || describeError(error)}
    </Alert>
  )
}
