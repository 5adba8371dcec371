// One class: what it is, who runs it, and its dates with the seats left, booked in one click once
// signed in. A class without a schedule takes any future time the customer picks.
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { ApiError, api } from '../../api/client'
import type { Session as CatalogSession } from '../../api/types'
import { ButtonLink, ErrorAlert, FOCUS, Loading } from '../../ui/controls'
import { formatDuration, formatMoney, personName } from '../../ui/format'
import { useTitle } from '../../ui/title'
import { useDirectoryEntry } from '../catalog/directory'
import { SessionImage } from '../catalog/SessionCard'
import { BookingPanel } from './BookingPanel'

export const sessionKey = (id: string) => ['sessions', 'detail', id] as const

export default function SessionPage() {
  const { id = '' } = useParams()
  const session = useQuery({
    queryKey: sessionKey(id),
    queryFn: async ({ signal }) => (await api.get<CatalogSession>(`/api/sessions/${id}/`, { signal })).data,
  })
  const business = useDirectoryEntry(session.data?.business.id)
  useTitle(session.data?.title ?? (session.isError ? 'Class not found' : 'Class'))

  if (session.isPending) return <Loading what="Loading the class" />
  if (session.isError) {
    const missing =
      session.error instanceof ApiError && (session.error.status === 404 || session.error.status === 400)
    return (
      <div className="mx-auto max-w-xl">
        <h1 className="mb-4 text-2xl font-bold text-slate-900">
          {missing ? 'Class not found' : 'This class could not be loaded'}
        </h1>
        {missing ? (
          <p className="mb-6 text-slate-700">It may have been removed, or the link is not complete.</p>
        ) : (
          <div className="mb-6">
            <ErrorAlert error={session.error} onRetry={() => session.refetch()} />
          </div>
        )}
        <ButtonLink to="/" variant="secondary">
          See all classes
        </ButtonLink>
      </div>
    )
  }

  const data = session.data
  const currency = business.data?.currency
  return (
    <article>
      <p className="mb-4">
        <Link
          to="/"
          className={`rounded text-sm font-medium text-indigo-800 underline-offset-2 hover:underline ${FOCUS}`}
        >
          <span aria-hidden="true">← </span>All classes
        </Link>
      </p>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_400px]">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{data.title}</h1>
          <p className="mt-1 text-slate-700">
            {data.business.name} · with {personName(data.creator)}
          </p>
          <SessionImage
            src={data.image_url}
            title={data.title}
            className="mt-5 aspect-video w-full rounded-lg"
          />
          <dl className="mt-6 grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4">
            <Fact term="Price" value={formatMoney(data.price, currency)} />
            <Fact term="Length" value={formatDuration(data.duration)} />
            <Fact
              term="Places"
              value={data.max_participants === 1 ? 'One-to-one' : `Up to ${data.max_participants}`}
            />
            <Fact term="With" value={personName(data.creator)} />
          </dl>
          <h2 className="mt-8 text-lg font-semibold text-slate-900">About this class</h2>
          {data.description ? (
            <p className="mt-2 whitespace-pre-line text-slate-800">{data.description}</p>
          ) : (
            <p className="mt-2 text-slate-700">No description yet.</p>
          )}
          <p className="mt-4 text-sm text-slate-700">Offered by {data.business.name}.</p>
        </div>
        <BookingPanel session={data} business={business.data} />
      </div>
    </article>
  )
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{term}</dt>
      <dd className="mt-1 font-semibold text-slate-900">{value}</dd>
    </div>
  )
}
