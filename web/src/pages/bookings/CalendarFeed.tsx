// "Add to my calendar": the private iCalendar feed of the customer's bookings and appointments, to
// subscribe to from any calendar app, and a way to replace its link if it leaked.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useRef, useState } from 'react'
import { api } from '../../api/client'
import type { CalendarFeedUrl } from '../../api/types'
import { Button, ErrorAlert, FOCUS, Notice } from '../../ui/controls'
import { TextField } from '../../ui/forms'
import { ConfirmCancel } from './ConfirmCancel'

const FEED = ['calendar-feed', 'mine'] as const

export function CalendarFeed() {
  const headingId = useId()
  const client = useQueryClient()
  const input = useRef<HTMLDivElement>(null)
  const [copied, setCopied] = useState<'copied' | 'manual' | null>(null)
  const [rotated, setRotated] = useState(false)
  const feed = useQuery({
    queryKey: FEED,
    queryFn: async () => (await api.get<CalendarFeedUrl>('/api/calendar/feed/')).data,
    staleTime: Number.POSITIVE_INFINITY,
  })
  const rotate = useMutation({
    mutationFn: async () => (await api.post<CalendarFeedUrl>('/api/calendar/feed/rotate/')).data,
    onMutate: () => setRotated(false),
    onSuccess: (data) => {
      client.setQueryData(FEED, data)
      setCopied(null)
      setRotated(true)
    },
  })

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('copied')
    } catch {
      // No clipboard access (an insecure origin, a refused permission): select it for a manual copy.
      const field = input.current?.querySelector('input')
      field?.focus()
      field?.select()
      setCopied('manual')
    }
  }

  const url = feed.data?.url
  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <h2 id={headingId} className="text-xl font-semibold text-slate-900">
        Add to my calendar
      </h2>
      <p className="text-sm text-slate-700">
        Subscribe to this private link in Google Calendar, Apple Calendar or Outlook: your classes and
        appointments appear there and stay up to date. Anyone with the link can see them, so keep it to
        yourself.
      </p>
      {feed.isPending ? (
        <p className="text-sm text-slate-700" role="status">
          Loading your calendar link…
        </p>
      ) : feed.isError ? (
        <ErrorAlert error={feed.error} onRetry={() => feed.refetch()} />
      ) : url ? (
        <>
          <div ref={input}>
            <TextField
              label="Calendar feed link"
              value={url}
              readOnly
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => copy(url)}>
              Copy link
            </Button>
            <a
              href={url.replace(/^https?:\/\//, 'webcal://')}
              className={`inline-flex min-h-10 items-center rounded-md px-4 py-2 text-sm font-semibold text-indigo-800 underline hover:bg-indigo-50 ${FOCUS}`}
            >
              Open in calendar app
            </a>
          </div>
          <p aria-live="polite" className="text-sm text-emerald-800">
            {copied === 'copied'
              ? 'Link copied.'
              : copied === 'manual'
                ? 'The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.'
                : ''}
          </p>
          {rotated ? (
            <Notice>New link ready. Subscribe again with it: the old one no longer works.</Notice>
          ) : null}
          <div className="border-t border-slate-200 pt-3">
            <p className="mb-2 text-sm text-slate-700">
              Shared the link by mistake? Reset it to get a new one.
            </p>
            <ConfirmCancel
              align="start"
              label="Reset link"
              question="Reset the link? Calendars subscribed with the old link stop updating."
              confirmLabel="Yes, reset link"
              keepLabel="Keep current link"
              busy={rotate.isPending}
              error={rotate.error}
              onConfirm={() => rotate.mutate()}
            />
          </div>
        </>
      ) : null}
    </section>
  )
}
