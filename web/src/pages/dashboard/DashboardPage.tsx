// The staff dashboard: pick a business (when one belongs to several), then its overview, sessions,
// bookings, reservations and team, each a sub-page under /dashboard. The chosen business is kept in
// the URL (?business=<id>) and remembered in localStorage for the next visit.
import { useEffect, useId } from 'react'
import { NavLink, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router'
import { useAuth, useMemberships } from '../../auth/session'
import { ErrorAlert, FOCUS, Loading, Notice } from '../../ui/controls'
import { useTitle } from '../../ui/title'
import { BookingsSection } from './BookingsSection'
import {
  can,
  DashboardProvider,
  type Membership,
  type Power,
  powerIn,
  ROLE_LABELS,
  rememberBusiness,
  rememberedBusiness,
} from './business'
import { NoBusiness } from './NoBusiness'
import { OverviewSection } from './OverviewSection'
import { ReservationsSection } from './ReservationsSection'
import { SessionEditor } from './SessionEditor'
import { SessionsSection } from './SessionsSection'
import { TeamSection } from './TeamSection'

const TAB = `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-700 aria-[current=page]:text-white ${FOCUS}`

export default function DashboardPage() {
  const { user } = useAuth()
  const memberships = useMemberships()
  const [params, setParams] = useSearchParams()
  const list = (memberships.data ?? []) as Membership[]
  const wanted = params.get('business')
  const business =
    list.find((item) => item.id === wanted) ??
    list.find((item) => item.id === rememberedBusiness()) ??
    list[0]
  const power = powerIn(business, user)

  // Keep the choice in the URL so a reload or a shared link opens the same business.
  useEffect(() => {
    if (business && wanted !== business.id) {
      setParams(
        (current) => {
          const next = new URLSearchParams(current)
          next.set('business', business.id)
          return next
        },
        { replace: true },
      )
    }
    if (business) rememberBusiness(business.id)
  }, [business, wanted, setParams])

  if (memberships.isPending) return <Loading what="Loading your businesses" />
  if (memberships.error) return <ErrorAlert error={memberships.error} onRetry={() => memberships.refetch()} />
  if (!user) return null
  if (!business) return <NoBusiness />
  if (!power) return <Loading what="Loading your role" />

  const search = `?business=${encodeURIComponent(business.id)}`
  return (
    <DashboardProvider value={{ business, power, me: user, search }}>
      <DashboardFrame businesses={list} business={business} power={power} search={search} />
    </DashboardProvider>
  )
}

function DashboardFrame({
  businesses,
  business,
  power,
  search,
}: {
  businesses: Membership[]
  business: Membership
  power: Power
  search: string
}) {
  const navigate = useNavigate()
  const location = useLocation()
  const selectId = useId()

  function choose(id: string) {
    rememberBusiness(id)
    // A session of one business means nothing in another: go to the section's start page.
    const section = location.pathname.split('/')[2] ?? ''
    navigate({
      pathname: section ? `/dashboard/${section}` : '/dashboard',
      search: `?business=${encodeURIComponent(id)}`,
    })
  }

  const tabs = [
    { to: '/dashboard', label: 'Overview', end: true },
    { to: '/dashboard/sessions', label: 'Sessions' },
    { to: '/dashboard/bookings', label: 'Bookings' },
    { to: '/dashboard/reservations', label: 'Reservations' },
    { to: '/dashboard/team', label: 'Team' },
  ]
  const roleText = power === 'platform' ? 'Platform admin' : power === 'none' ? 'No role' : ROLE_LABELS[power]

  const left = (location.state as { left?: string } | null)?.left
  return (
    <div>
      {left ? (
        <div className="mb-4">
          <Notice>You left {left}.</Notice>
        </div>
      ) : null}
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-indigo-800">Dashboard</p>
          <p className="text-lg font-semibold text-slate-900">
            {business.name}{' '}
            <span className="ml-1 inline-flex rounded-full bg-slate-100 px-2.5 py-0.5 align-middle text-xs font-semibold text-slate-800">
              Your role: {roleText}
            </span>
          </p>
        </div>
        {businesses.length > 1 ? (
          <div className="flex w-full flex-col gap-1 sm:w-72">
            <label htmlFor={selectId} className="text-sm font-medium text-slate-800">
              Business
            </label>
            <select
              id={selectId}
              value={business.id}
              onChange={(event) => choose(event.target.value)}
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/40"
            >
              {businesses.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <nav aria-label="Dashboard sections" className="mb-6 border-b border-slate-200 pb-2">
        <ul className="flex flex-wrap gap-1">
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={{ pathname: tab.to, search }} end={tab.end ?? false} className={TAB}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {/* Everything below starts afresh when the business changes: no filter or selection carries over. */}
      <Routes key={business.id}>
        <Route index element={<OverviewSection />} />
        <Route path="sessions" element={<SessionsSection />} />
        <Route path="sessions/new" element={can.editSessions(power) ? <SessionEditor /> : <NotAllowed />} />
        <Route path="sessions/:id" element={<SessionEditor />} />
        <Route path="bookings" element={<BookingsSection />} />
        <Route path="reservations" element={<ReservationsSection />} />
        <Route path="team" element={<TeamSection />} />
        <Route path="*" element={<DashboardNotFound />} />
      </Routes>
    </div>
  )
}

function NotAllowed() {
  useTitle('Not allowed')
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold text-slate-900">Not allowed</h1>
      <p className="text-slate-700">Your role in this business does not include creating sessions.</p>
    </>
  )
}

function DashboardNotFound() {
  useTitle('Not found')
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold text-slate-900">Page not found</h1>
      <p className="text-slate-700">This dashboard page does not exist. Pick a section above.</p>
    </>
  )
}
