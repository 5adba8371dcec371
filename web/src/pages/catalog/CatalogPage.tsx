// The catalog (home page): every bookable class, searched as you type and filtered by price,
// length and business, in the order asked. The query string holds the whole form, so a link
// shares a search and back/forward walk through earlier ones.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { fieldErrors } from '../../api/errors'
import type { Session as CatalogSession } from '../../api/types'
import { Button, EmptyState, ErrorAlert } from '../../ui/controls'
import { SelectField, TextField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { useDirectory } from './directory'
import { SessionCard, SessionCardSkeleton } from './SessionCard'

const PAGE_SIZE = 12
const DEBOUNCE_MS = 300

const TEXT_KEYS = ['search', 'min_price', 'max_price', 'min_duration', 'max_duration'] as const
type TextKey = (typeof TEXT_KEYS)[number]
type Key = TextKey | 'business' | 'ordering'
const KEYS: Key[] = [...TEXT_KEYS, 'business', 'ordering']

export const ORDERINGS = [
  { value: '', label: 'Newest' },
  { value: 'price', label: 'Price: low to high' },
  { value: '-price', label: 'Price: high to low' },
  { value: 'duration', label: 'Shortest' },
  { value: 'title', label: 'Title A–Z' },
] as const

type Drafts = Record<TextKey, string>

function draftsOf(params: URLSearchParams): Drafts {
  return Object.fromEntries(TEXT_KEYS.map((key) => [key, params.get(key) ?? ''])) as Drafts
}

const MONEY = /^\d{1,8}(\.\d{1,2})?$/
const MINUTES = /^\d{1,5}$/

/** What is wrong with a filter's value as typed, if anything (such a filter is not sent). */
function problemOf(key: Key, value: string): string | undefined {
  if ((key === 'min_price' || key === 'max_price') && !MONEY.test(value))
    return 'Enter an amount of 0 or more, like 20 or 19.50.'
  if ((key === 'min_duration' || key === 'max_duration') && !MINUTES.test(value))
    return 'Enter whole minutes, like 45.'
  return undefined
}

/** The API's query for the URL's filters (only the keys with a valid value) and the invalid ones. */
function filtersOf(params: URLSearchParams) {
  const filters: Partial<Record<Key, string>> = {}
  const problems: Partial<Record<Key, string>> = {}
  for (const key of KEYS) {
    const value = params.get(key)?.trim()
    if (!value) continue
    const problem = problemOf(key, value)
    if (problem) problems[key] = problem
    else filters[key] = value
  }
  return { filters, problems }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

export default function CatalogPage() {
  useTitle('Classes')
  const [params, setParams] = useSearchParams()
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(params))
  const [filtersOpen, setFiltersOpen] = useState(false)
  // The query string this page wrote last: any other change came from back/forward or a link.
  const written = useRef(params.toString())
  // The text field being typed in: its first change adds a history entry, the next ones replace it.
  const burst = useRef<TextKey | null>(null)
  const pending = useRef<{ key: TextKey; value: string; timer: number } | null>(null)
  const directory = useDirectory()

  useEffect(() => {
    const text = params.toString()
    if (text === written.current) return
    written.current = text
    if (pending.current) window.clearTimeout(pending.current.timer)
    pending.current = null
    burst.current = null
    setDrafts(draftsOf(params))
  }, [params])

  useEffect(
    () => () => {
      if (pending.current) window.clearTimeout(pending.current.timer)
    },
    [],
  )

  function write(changes: Partial<Record<Key, string>>, replace: boolean) {
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        for (const [key, value] of Object.entries(changes)) {
          const trimmed = value?.trim() ?? ''
          if (trimmed) next.set(key, trimmed)
          else next.delete(key)
        }
        written.current = next.toString()
        return next
      },
      { replace },
    )
  }

  function commitText(key: TextKey, value: string) {
    pending.current = null
    const replace = burst.current === key
    burst.current = key
    write({ [key]: value }, replace)
  }

  function type(key: TextKey, value: string) {
    setDrafts((previous) => ({ ...previous, [key]: value }))
    if (pending.current) window.clearTimeout(pending.current.timer)
    const timer = window.setTimeout(() => commitText(key, value), DEBOUNCE_MS)
    pending.current = { key, value, timer }
  }

  function flush() {
    const waiting = pending.current
    if (waiting) {
      window.clearTimeout(waiting.timer)
      commitText(waiting.key, waiting.value)
    }
    burst.current = null
  }

  function choose(key: 'business' | 'ordering', value: string) {
    flush()
    write({ [key]: value }, false)
  }

  function clearAll() {
    if (pending.current) window.clearTimeout(pending.current.timer)
    pending.current = null
    burst.current = null
    setDrafts(draftsOf(new URLSearchParams()))
    written.current = ''
    setParams(new URLSearchParams())
  }

  const { filters, problems } = filtersOf(params)
  const results = useInfiniteQuery({
    queryKey: ['sessions', 'catalog', filters],
    queryFn: async ({ pageParam, signal }) =>
      api.get<CatalogSession[]>('/api/sessions/', {
        query: { ...filters, page_size: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.meta?.pagination.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  })

  const sessions = results.data?.pages.flatMap((page) => page.data) ?? []
  const errors: Record<string, string | undefined> = { ...fieldErrors(results.error), ...problems }
  const currencies = new Map((directory.data ?? []).map((business) => [business.id, business]))
  const narrowed = [...Object.keys(filters), ...Object.keys(problems)].some((key) => key !== 'ordering')
  const filterCount = (
    ['min_price', 'max_price', 'min_duration', 'max_duration', 'business'] as const
  ).filter((key) => filters[key]).length
  const businessValue = params.get('business') ?? ''
  const knownBusiness = (directory.data ?? []).some(
    (business) => business.slug === businessValue || business.id === businessValue,
  )

  const announcement = results.isPending
    ? ''
    : results.isError && !results.data
      ? ''
      : `${plural(sessions.length, 'class', 'classes')} shown`

  return (
    <div>
      <div className="mb-6">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Classes</h1>
        <p className="mt-1 text-slate-700">Book a place in a group class or a one-to-one session.</p>
      </div>

      <search
        aria-label="Find classes"
        className="mb-6 block rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <form
          onSubmit={(event) => {
            event.preventDefault()
            flush()
          }}
        >
          <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
            <TextField
              label="Search classes"
              type="search"
              value={drafts.search}
              onChange={(event) => type('search', event.target.value)}
              onBlur={flush}
              placeholder="Yoga, pottery, haircut…"
              autoComplete="off"
              enterKeyHint="search"
              error={errors.search}
            />
            <SelectField
              label="Sort by"
              value={params.get('ordering') ?? ''}
              onChange={(event) => choose('ordering', event.target.value)}
            >
              {ORDERINGS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          </div>

          <div className="mt-3 md:hidden">
            <Button
              variant="secondary"
              aria-expanded={filtersOpen}
              aria-controls="catalog-filters"
              onClick={() => setFiltersOpen((open) => !open)}
            >
              {filtersOpen ? 'Hide filters' : 'Show filters'}
              {filterCount > 0 ? (
                <span className="rounded-full bg-indigo-100 px-2 text-xs text-indigo-900">
                  {filterCount} on
                </span>
              ) : null}
            </Button>
          </div>

          <fieldset
            id="catalog-filters"
            className={`${filtersOpen ? 'grid' : 'hidden'} mt-4 grid-cols-2 gap-4 md:grid md:grid-cols-5`}
          >
            <legend className="sr-only">Filters</legend>
            <TextField
              label="Min price"
              type="number"
              inputMode="decimal"
              min={0}
              step="0.01"
              value={drafts.min_price}
              onChange={(event) => type('min_price', event.target.value)}
              onBlur={flush}
              error={errors.min_price}
            />
            <TextField
              label="Max price"
              type="number"
              inputMode="decimal"
              min={0}
              step="0.01"
              value={drafts.max_price}
              onChange={(event) => type('max_price', event.target.value)}
              onBlur={flush}
              error={errors.max_price}
            />
            <TextField
              label="Min length (minutes)"
              type="number"
              inputMode="numeric"
              min={0}
              step={5}
              value={drafts.min_duration}
              onChange={(event) => type('min_duration', event.target.value)}
              onBlur={flush}
              error={errors.min_duration}
            />
            <TextField
              label="Max length (minutes)"
              type="number"
              inputMode="numeric"
              min={0}
              step={5}
              value={drafts.max_duration}
              onChange={(event) => type('max_duration', event.target.value)}
              onBlur={flush}
              error={errors.max_duration}
            />
            <div className="col-span-2 md:col-span-1">
              <SelectField
                label="Business"
                value={businessValue}
                onChange={(event) => choose('business', event.target.value)}
                error={errors.business}
                hint={directory.isError ? 'The list of businesses could not be loaded.' : undefined}
              >
                <option value="">All businesses</option>
                {(directory.data ?? []).map((business) => (
                  <option key={business.id} value={business.slug}>
                    {business.name}
                  </option>
                ))}
                {businessValue && !knownBusiness ? (
                  <option value={businessValue}>{businessValue}</option>
                ) : null}
              </SelectField>
            </div>
          </fieldset>
          {narrowed ? (
            <div className="mt-3 flex justify-end">
              <Button variant="ghost" onClick={clearAll}>
                Clear filters
              </Button>
            </div>
          ) : null}
        </form>
      </search>

      <p role="status" className="sr-only">
        {announcement}
      </p>

      {results.isPending ? (
        <>
          <p className="sr-only" role="status">
            Loading classes…
          </p>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-hidden="true">
            {Array.from({ length: 6 }, (_, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
              <SessionCardSkeleton key={index} />
            ))}
          </ul>
        </>
      ) : results.isError && !results.data ? (
        <ErrorAlert
          error={results.error}
          onRetry={Object.keys(errors).length ? undefined : () => results.refetch()}
        />
      ) : (
        <>
          {results.isError ? (
            <div className="mb-4">
              <ErrorAlert
                error={results.error}
                onRetry={Object.keys(errors).length ? undefined : () => results.refetch()}
              />
            </div>
          ) : null}
          {sessions.length === 0 ? (
            <EmptyState
              title={
                narrowed
                  ? filters.search
                    ? `No classes match “${filters.search}”`
                    : 'No classes match these filters'
                  : 'No classes yet'
              }
            >
              {narrowed ? (
                <>
                  <p>Try other words, or widen the price and length.</p>
                  <Button variant="secondary" className="mt-4" onClick={clearAll}>
                    Clear filters
                  </Button>
                </>
              ) : (
                <p>Check back soon: new classes appear here as soon as they are published.</p>
              )}
            </EmptyState>
          ) : (
            <ul
              className={`grid gap-4 transition-opacity sm:grid-cols-2 lg:grid-cols-3 ${results.isPlaceholderData ? 'opacity-60' : ''}`}
              aria-busy={results.isPlaceholderData || undefined}
            >
              {sessions.map((session) => (
                <SessionCard
                  key={session.id}
                  session={session}
                  business={currencies.get(session.business.id)}
                />
              ))}
            </ul>
          )}
          {results.hasNextPage ? (
            <div className="mt-8 flex justify-center">
              <Button
                variant="secondary"
                busy={results.isFetchingNextPage}
                onClick={() => results.fetchNextPage()}
              >
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  )
}
