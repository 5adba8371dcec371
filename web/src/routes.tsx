// Every page of the customer app. Pages load on demand, so the first visit downloads only the
// shell and the page it opens.
import { lazy, type ReactNode, Suspense } from 'react'
import { createBrowserRouter } from 'react-router'
import { RequireAuth } from './auth/RequireAuth'
import { AppShell } from './layout/AppShell'
import { RouteError } from './layout/RouteError'
import { Loading } from './ui/controls'

const CatalogPage = lazy(() => import('./pages/catalog/CatalogPage'))
const SessionPage = lazy(() => import('./pages/session/SessionPage'))
const LoginPage = lazy(() => import('./pages/auth/LoginPage'))
const RegisterPage = lazy(() => import('./pages/auth/RegisterPage'))
const ForgotPasswordPage = lazy(() => import('./pages/auth/ForgotPasswordPage'))
const ResetPasswordPage = lazy(() => import('./pages/auth/ResetPasswordPage'))
const VerifyEmailPage = lazy(() => import('./pages/auth/VerifyEmailPage'))
const AcceptInvitationPage = lazy(() => import('./pages/auth/AcceptInvitationPage'))
const MyBookingsPage = lazy(() => import('./pages/bookings/MyBookingsPage'))
const WaitlistPage = lazy(() => import('./pages/waitlist/WaitlistPage'))
const AppointmentsPage = lazy(() => import('./pages/appointments/AppointmentsPage'))
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'))
const ProfilePage = lazy(() => import('./pages/profile/ProfilePage'))
const NotFoundPage = lazy(() => import('./layout/NotFoundPage'))

function page(element: ReactNode, { signedIn = false } = {}) {
  const content = <Suspense fallback={<Loading />}>{element}</Suspense>
  return signedIn ? <RequireAuth>{content}</RequireAuth> : content
}

export const router = createBrowserRouter([
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: page(<CatalogPage />) },
      { path: 'sessions/:id', element: page(<SessionPage />) },
      { path: 'login', element: page(<LoginPage />) },
      { path: 'register', element: page(<RegisterPage />) },
      { path: 'forgot-password', element: page(<ForgotPasswordPage />) },
      { path: 'reset-password', element: page(<ResetPasswordPage />) },
      { path: 'verify-email', element: page(<VerifyEmailPage />) },
      { path: 'invitations/accept', element: page(<AcceptInvitationPage />) },
      { path: 'appointments', element: page(<AppointmentsPage />) },
      { path: 'bookings', element: page(<MyBookingsPage />, { signedIn: true }) },
      { path: 'waitlist', element: page(<WaitlistPage />, { signedIn: true }) },
      { path: 'dashboard/*', element: page(<DashboardPage />, { signedIn: true }) },
      { path: 'profile', element: page(<ProfilePage />, { signedIn: true }) },
      { path: '*', element: page(<NotFoundPage />) },
    ],
  },
])
