// The frame of every page: a skip link, the header with the main navigation (a menu button on
// phones), and the page itself. Focus moves to the page's content after each navigation so
// keyboard and screen reader users start at the top of what changed.
import { useEffect, useRef, useState } from 'react'
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { useAuth } from '../auth/session'
import { FOCUS } from '../ui/controls'

const LINK = `rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800 ${FOCUS}`

export function AppShell() {
  const { user, signOut } = useAuth()
  const location = useLocation()
  const navigate = useNavigate()
  const main = useRef<HTMLElement>(null)
  const [menuOpen, setMenuOpen] = useState(false)
  const first = useRef(true)

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation, by design
  useEffect(() => {
    setMenuOpen(false)
    if (first.current) {
      first.current = false
      return
    }
    main.current?.focus()
  }, [location.pathname])

  const links = [
    { to: '/', label: 'Classes', end: true },
    { to: '/appointments', label: 'Appointments' },
    ...(user
      ? [
          { to: '/bookings', label: 'My bookings' },
          { to: '/dashboard', label: 'Dashboard' },
          { to: '/profile', label: 'Profile' },
        ]
      : []),
  ]

  async function leave() {
    await signOut()
    navigate('/')
  }

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className={`sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 ${FOCUS}`}
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
          <NavLink
            to="/"
            className={`flex items-center gap-2 rounded-md text-lg font-bold text-indigo-800 ${FOCUS}`}
          >
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            Tessera
          </NavLink>
          <button
            type="button"
            className={`rounded-md px-3 py-2 text-sm font-medium text-slate-800 md:hidden ${FOCUS}`}
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
          <nav
            id="main-nav"
            aria-label="Main"
            className={`${menuOpen ? 'flex' : 'hidden'} absolute left-0 right-0 top-14 z-40 flex-col gap-1 border-b border-slate-200 bg-white p-3 shadow-md md:static md:flex md:flex-row md:items-center md:border-0 md:p-0 md:shadow-none`}
          >
            {links.map((link) => (
              <NavLink key={link.to} to={link.to} end={link.end ?? false} className={LINK}>
                {link.label}
              </NavLink>
            ))}
            {user ? (
              <button type="button" className={LINK} onClick={leave}>
                Sign out
              </button>
            ) : (
              <>
                <NavLink to="/login" className={LINK}>
                  Sign in
                </NavLink>
                <NavLink to="/register" className={LINK}>
                  Create account
                </NavLink>
              </>
            )}
          </nav>
        </div>
      </header>
      <main
        id="main"
        ref={main}
        tabIndex={-1}
        className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:py-10"
      >
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 bg-white py-6 text-center text-sm text-slate-600">
        Tessera · open-source booking ·{' '}
        <a className="underline" href="/api/docs/">
          API
        </a>
      </footer>
    </div>
  )
}
