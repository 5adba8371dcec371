// A "Cancel" button that asks once more before it acts, with the answer's error next to it.
import { useEffect, useRef, useState } from 'react'
import { describeError } from '../../api/errors'
import { Button } from '../../ui/controls'

export function ConfirmCancel({
  question,
  confirmLabel,
  onConfirm,
  busy,
  error,
  label = 'Cancel',
  keepLabel = 'Keep it',
  align = 'end',
}: {
  question: string
  confirmLabel: string
  onConfirm: () => void
  busy: boolean
  error: unknown
  label?: string
  keepLabel?: string
  align?: 'start' | 'end'
}) {
  const [asking, setAsking] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const wasAsking = useRef(false)
  const wasBusy = useRef(false)

  // Done without an error: the question closes.
  useEffect(() => {
    if (wasBusy.current && !busy && !error) setAsking(false)
    wasBusy.current = busy
  }, [busy, error])

  useEffect(() => {
    // The question's first button takes the focus; answering "keep" gives it back to "Cancel".
    if (asking || wasAsking.current) box.current?.querySelector('button')?.focus()
    wasAsking.current = asking
  }, [asking])

  return (
    <div ref={box} className={`flex flex-col items-start gap-2 ${align === 'end' ? 'sm:items-end' : ''}`}>
      {asking ? (
        <fieldset
          className={`flex min-w-0 flex-col gap-2 rounded-md border border-red-200 bg-red-50 p-3 ${align === 'end' ? 'sm:items-end' : ''}`}
        >
          <legend className="float-left text-sm font-medium text-red-950">{question}</legend>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" busy={busy} onClick={onConfirm}>
              {confirmLabel}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setAsking(false)}>
              {keepLabel}
            </Button>
          </div>
        </fieldset>
      ) : (
        <Button variant="secondary" onClick={() => setAsking(true)}>
          {label}
        </Button>
      )}
      {error ? (
        <p role="alert" className="max-w-xs text-sm text-red-800">
          {describeError(error)}
        </p>
      ) : null}
    </div>
  )
}
