// The admin console: react-admin over the public API. Which resources and pages exist depends on who
// signed in: platform admins get users, settings and jobs; business staff get what their role's
// powers allow in the business chosen in the switcher.
import { Admin, CustomRoutes, Resource } from 'react-admin'
import { BrowserRouter, Route } from 'react-router-dom'
import { accessOf, type Standing } from './access'
import { authProvider } from './authProvider'
import { dataProvider } from './dataProvider'
import { ConsoleLayout } from './layout/ConsoleLayout'
import { LoginPage } from './layout/LoginPage'
import { Home } from './pages/Home'
import { JobsPage } from './pages/JobsPage'
import { SettingsPage } from './pages/SettingsPage'
import { auditResource } from './resources/audit'
import { bookingsResource } from './resources/bookings'
import { businessesResource } from './resources/businesses'
import { reservationsResource } from './resources/reservations'
import { sessionsResource } from './resources/sessions'
import { usersResource } from './resources/users'
import { webhooksResource } from './resources/webhooks'
import { theme } from './theme'

export function AdminApp() {
  // Real paths under /admin/ (the server answers them with this page), not react-admin's default hash.
  return (
    <BrowserRouter basename="/admin">
      <Admin
        title="Tessera admin"
        dataProvider={dataProvider}
        authProvider={authProvider}
        loginPage={LoginPage}
        dashboard={Home}
        layout={ConsoleLayout}
        theme={theme}
        requireAuth
        disableTelemetry
      >
        {(standing: Standing | undefined) => {
          const access = accessOf(standing)
          return [
            access.platformAdmin ? <Resource key="users" {...usersResource} /> : null,
            <Resource key="businesses" {...businessesResource(access)} />,
            <Resource key="sessions" {...sessionsResource(access)} />,
            <Resource key="bookings" {...bookingsResource} />,
            <Resource key="reservations" {...reservationsResource} />,
            access.can('audit.read') ? <Resource key="audit-log" {...auditResource} /> : null,
            access.can('webhooks.manage') ? <Resource key="webhooks" {...webhooksResource} /> : null,
            access.platformAdmin ? (
              <CustomRoutes key="platform">
                <Route path="/settings" element={<SettingsPage />} />
                <Route path="/jobs" element={<JobsPage />} />
              </CustomRoutes>
            ) : null,
          ]
        }}
      </Admin>
    </BrowserRouter>
  )
}
