// The business's sessions, active and inactive: status changes one by one or for a selection
// (POST /api/sessions/bulk/), delete with a confirmation, and links to create and edit.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useLocation } from 'react-router'
import { api } from '../../api/client'
import type { Session } from '../../api/types'
import { Button, ButtonLink, EmptyState, FOCUS, PageHeader } from '../../ui/controls'
import { formatDuration, formatMoney } from '../../ui/format'
import { SelectField } from '../../ui/forms'
import { useTitle } from '../../ui/title'
import { can, useDashboard } from './business'
import { ActionNotices, DataTable, ListStates, useBusinessList } from './lists'
import { ConfirmButton, LoadMore, RoleNotice, TD } from './parts'
import { scheduleSummary, sessionsKey } from './sessions'

type SessionStatus = Session['status']

export function SessionStatusBadge({ status }: { status: SessionStatus }) {
  const colors = status === 'active' ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-900'
  return (
    <span className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ${colors}`}>
      {status === 'active' ? 'Active' : 'Inactive'}
    </span>
  )
}

export function SessionsSection() {
  useTitle('Dashboard sessions')
  const { business, power, search } = useDashboard()
  const location = useLocation()
  const client = useQueryClient()
  const editor = can.editSessions(power)
  const [status, setStatus] = useState<'' | SessionStatus>('')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [notice, setNotice] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  )

  const { list, rows: sessions } = useBusinessList<Session>(
    [...sessionsKey(business.id), 'list', status],
    '/api/sessions/',
    { business: business.id, status, page_size: 50, ordering: 'title' },
  )

  const done = async (message: string) => {
    setNotice(message)
    await client.invalidateQueries({ queryKey: ['dashboard', business.id] })
  }

  const setOne = useMutation({
    mutationFn: async ({ session, next }: { session: Session; next: SessionStatus }) =>
      api.patch<Session>(`/api/sessions/${session.id}/`, { status: next }, { business: business.id }),
    onMutate: () => setNotice(null),
    onSuccess: (_, { session, next }) => done(`${session.title} is now ${next}.`),
  })
  const remove = useMutation({
    mutationFn: async (session: Session) =>
      api.delete(`/api/sessions/${session.id}/`, { business: business.id }),
    onMutate: () => setNotice(null),
    onSuccess: (_, session) => {
      setSelected((current) => {
        const next = new Set(current)
        next.delete(session.id)
        return next
      })
      return done(`${session.title} was deleted. Its existing bookings stay.`)
    },
  })
  const bulk = useMutation({
    mutationFn: async ({ ids, next }: { ids: string[]; next: SessionStatus }) =>
      api.post(
        '/api/sessions/bulk/',
        { update: ids.map((id) => ({ id, status: next })) },
        { business: business.id },
      ),
    onMutate: () => setNotice(null),
    onSuccess: (_, { ids, next }) => {
      setSelected(new Set())
      return done(`${ids.length} ${ids.length === 1 ? 'session is' : 'sessions are'} now ${next}.`)
    },
  })
  const actionError = setOne.error ?? remove.error ?? bulk.error

  const allSelected = sessions.length > 0 && sessions.every((session) => selected.has(session.id))
  const someSelected = sessions.some((session) => selected.has(session.id))
  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }
  function toggleAll() {
    setSelected(allSelected ? new Set() : new Set(sessions.map((session) => session.id)))
  }

  return (
    <>
      <PageHeader title="Sessions">
        {editor ? (
          <ButtonLink to={{ pathname: '/dashboard/sessions/new', search }}>New session</ButtonLink>
        ) : null}
      </PageHeader>
      {!editor ? (
        <div className="mb-4">
          <RoleNotice>
            Your role can see the sessions but not change them. Managers, admins and owners edit sessions.
          </RoleNotice>
        </div>
      ) : null}
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="w-full sm:w-48">
          <SelectField
            label="Status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as '' | SessionStatus)
              setSelected(new Set())
            }}
          >
            <option value="">All sessions</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </SelectField>
        </div>
        {editor ? (
          // biome-ignore lint/a11y/useSemanticElements: a named group of the actions on the selection
          <div role="group" aria-label="Selected sessions" className="flex flex-wrap items-center gap-2">
            <span className="text-sm text-slate-700" aria-live="polite">
              {selected.size} selected
            </span>
            <Button
              variant="secondary"
              disabled={selected.size === 0}
              busy={bulk.isPending && bulk.variables?.next === 'active'}
              onClick={() => bulk.mutate({ ids: [...selected], next: 'active' })}
            >
              Activate selected
            </Button>
            <Button
              variant="secondary"
              disabled={selected.size === 0}
              busy={bulk.isPending && bulk.variables?.next === 'inactive'}
              onClick={() => bulk.mutate({ ids: [...selected], next: 'inactive' })}
            >
              Deactivate selected
            </Button>
          </div>
        ) : null}
      </div>
      <ActionNotices notice={notice} error={actionError} power={power} />
      <ListStates
        query={list}
        loading="Loading sessions"
        what="the sessions"
        power={power}
        empty={
          sessions.length === 0 ? (
            <EmptyState title={status ? `No ${status} sessions.` : 'No sessions yet.'}>
              {editor && !status ? 'Create the first one with "New session".' : null}
            </EmptyState>
          ) : null
        }
      >
        <DataTable
          label="Sessions"
          width="min-w-[48rem]"
          columns={[
            editor && {
              name: 'Select',
              className: 'w-10',
              content: (
                <input
                  type="checkbox"
                  aria-label="Select all sessions"
                  className="h-4 w-4 accent-indigo-700"
                  checked={allSelected}
                  ref={(element) => {
                    if (element) element.indeterminate = someSelected && !allSelected
                  }}
                  onChange={toggleAll}
                />
              ),
            },
            'Title',
            'Status',
            'Price',
            'Duration',
            'Capacity',
            'Schedule',
            editor && 'Actions',
          ]}
        >
          {sessions.map((session) => (
            <tr key={session.id}>
              {editor ? (
                <td className={TD}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${session.title}`}
                    className="h-4 w-4 accent-indigo-700"
                    checked={selected.has(session.id)}
                    onChange={() => toggle(session.id)}
                  />
                </td>
              ) : null}
              <td className={`${TD} font-medium`}>
                <Link
                  to={{ pathname: `/dashboard/sessions/${session.id}`, search }}
                  className={`rounded text-indigo-800 underline-offset-2 hover:underline ${FOCUS}`}
                >
                  {session.title}
                </Link>
              </td>
              <td className={TD}>
                <SessionStatusBadge status={session.status} />
              </td>
              <td className={`${TD} whitespace-nowrap tabular-nums`}>
                {formatMoney(session.price, business.currency)}
              </td>
              <td className={`${TD} whitespace-nowrap`}>{formatDuration(session.duration)}</td>
              <td className={`${TD} tabular-nums`}>{session.max_participants}</td>
              <td className={`${TD} min-w-56`}>{scheduleSummary(session.schedule)}</td>
              {editor ? (
                <td className={TD}>
                  <div className="flex flex-nowrap items-start gap-2">
                    <Button
                      variant="secondary"
                      aria-label={`${session.status === 'active' ? 'Deactivate' : 'Activate'} ${session.title}`}
                      busy={setOne.isPending && setOne.variables?.session.id === session.id}
                      onClick={() =>
                        setOne.mutate({
                          session,
                          next: session.status === 'active' ? 'inactive' : 'active',
                        })
                      }
                    >
                      {session.status === 'active' ? 'Deactivate' : 'Activate'}
                    </Button>
                    <ConfirmButton
                      label={`Delete ${session.title}`}
                      question={`Delete ${session.title}?`}
                      confirm="Yes, delete"
                      keep="Keep it"
                      busy={remove.isPending && remove.variables?.id === session.id}
                      onConfirm={() => remove.mutate(session)}
                    >
                      Delete
                    </ConfirmButton>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
        <LoadMore what="sessions" list={list} />
      </ListStates>
    </>
  )
}
