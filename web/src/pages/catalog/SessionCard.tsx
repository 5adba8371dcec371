// One class in the catalog: a card whose title is the link to its page (the whole card is
// clickable through the link's stretched area), with price, length, who and when.
import { useState } from 'react'
import { Link } from 'react-router'
import type { Session as CatalogSession, DirectoryBusiness } from '../../api/types'
import { formatDateTime, formatDuration, formatMoney, personName } from '../../ui/format'

export function SessionImage({
  src,
  title,
  className = '',
}: {
  src: string
  title: string
  className?: string
}) {
  const [broken, setBroken] = useState(false)
  if (!src || broken)
    return (
      <div
        aria-hidden="true"
        className={`flex items-center justify-center bg-gradient-to-br from-indigo-100 via-slate-100 to-emerald-50 text-4xl font-bold text-indigo-800/70 ${className}`}
      >
        {title.trim().charAt(0).toUpperCase()}
      </div>
    )
  return (
    <img
      src={src}
      alt=""
      loading="lazy"
      onError={() => setBroken(true)}
      className={`object-cover ${className}`}
    />
  )
}

export function nextSlotText(session: CatalogSession, timeZone?: string): string {
  if (!session.schedule) return 'Any time — pick yours'
  if (session.next_slot) return `Next: ${formatDateTime(session.next_slot, timeZone)}`
  return 'No upcoming dates'
}

export function SessionCard({
  session,
  business,
}: {
  session: CatalogSession
  business: DirectoryBusiness | undefined
}) {
  return (
    <li className="relative flex flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm transition-shadow focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-indigo-700 hover:shadow-md">
      <SessionImage
        src={session.image_url}
        title={session.title}
        className="aspect-[3/1] w-full sm:aspect-video"
      />
      <div className="flex flex-1 flex-col gap-2 p-4">
        <h2 className="text-lg font-semibold leading-snug text-slate-900">
          <Link
            to={`/sessions/${session.id}`}
            className="after:absolute after:inset-0 after:content-[''] focus:outline-none hover:underline"
          >
            {session.title}
          </Link>
        </h2>
        <p className="text-sm text-slate-700">
          {session.business.name} · with {personName(session.creator)}
        </p>
        <p className="flex flex-wrap gap-x-3 text-sm font-medium text-slate-900">
          <span>{formatMoney(session.price, business?.currency)}</span>
          <span aria-hidden="true">·</span>
          <span>{formatDuration(session.duration)}</span>
        </p>
        <p
          className={`mt-auto pt-1 text-sm ${session.schedule ? 'text-slate-700' : 'font-medium text-emerald-800'}`}
        >
          {nextSlotText(session, business?.timezone)}
        </p>
      </div>
    </li>
  )
}

export function SessionCardSkeleton() {
  return (
    <li className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="aspect-video w-full animate-pulse bg-slate-200" />
      <div className="flex flex-col gap-3 p-4">
        <div className="h-5 w-3/4 animate-pulse rounded bg-slate-200" />
        <div className="h-4 w-1/2 animate-pulse rounded bg-slate-200" />
        <div className="h-4 w-1/3 animate-pulse rounded bg-slate-200" />
      </div>
    </li>
  )
}
