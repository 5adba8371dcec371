// The console's frame: an app bar with the business switcher, and a menu of what the caller may use.
import BusinessIcon from '@mui/icons-material/Business'
import EventIcon from '@mui/icons-material/Event'
import HistoryIcon from '@mui/icons-material/History'
import PeopleIcon from '@mui/icons-material/People'
import ScheduleIcon from '@mui/icons-material/Schedule'
import SettingsIcon from '@mui/icons-material/Settings'
import StorageIcon from '@mui/icons-material/Storage'
import ViewListIcon from '@mui/icons-material/ViewList'
import WebhookIcon from '@mui/icons-material/Webhook'
import { type ReactNode, useEffect } from 'react'
import { AppBar, Layout, Menu, TitlePortal, UserMenu, useGetIdentity } from 'react-admin'
import { useAccess } from '../access'
import { BusinessSwitcher } from './BusinessSwitcher'

/** The account menu, named by the name it shows (its spoken name and visible text agree). */
function ConsoleUserMenu() {
  const { identity } = useGetIdentity()
  return <UserMenu label={identity?.fullName ?? 'Account'} />
}

/**
 * react-admin labels a list row's checkbox on MUI's wrapper element instead of on the checkbox
 * itself, which leaves the checkbox nameless for screen readers. This moves each label onto its
 * checkbox as rows render.
 */
function useRowCheckboxLabels() {
  useEffect(() => {
    const relabel = () => {
      for (const wrapper of document.querySelectorAll<HTMLElement>('.select-item[aria-label]')) {
        const input = wrapper.querySelector('input')
        if (!input) continue
        input.setAttribute('aria-label', wrapper.getAttribute('aria-label') ?? '')
        wrapper.removeAttribute('aria-label')
      }
    }
    const observer = new MutationObserver(relabel)
    observer.observe(document.body, { childList: true, subtree: true })
    relabel()
    return () => observer.disconnect()
  }, [])
}

function ConsoleAppBar() {
  return (
    <AppBar color="primary" userMenu={<ConsoleUserMenu />}>
      <TitlePortal sx={{ fontSize: { xs: '1.05rem', sm: '1.25rem' } }} />
      <BusinessSwitcher />
    </AppBar>
  )
}

function ConsoleMenu() {
  const access = useAccess()
  return (
    <Menu>
      <Menu.DashboardItem primaryText="Home" />
      {access.platformAdmin && <Menu.ResourceItem name="users" leftIcon={<PeopleIcon />} />}
      <Menu.ResourceItem name="businesses" leftIcon={<BusinessIcon />} />
      <Menu.ResourceItem name="sessions" leftIcon={<ViewListIcon />} />
      <Menu.ResourceItem name="bookings" leftIcon={<EventIcon />} />
      <Menu.ResourceItem name="reservations" leftIcon={<ScheduleIcon />} />
      {access.can('audit.read') && <Menu.ResourceItem name="audit-log" leftIcon={<HistoryIcon />} />}
      {access.can('webhooks.manage') && <Menu.ResourceItem name="webhooks" leftIcon={<WebhookIcon />} />}
      {access.platformAdmin && (
        <Menu.Item to="/settings" primaryText="Settings" leftIcon={<SettingsIcon />} />
      )}
      {access.platformAdmin && <Menu.Item to="/jobs" primaryText="Jobs" leftIcon={<StorageIcon />} />}
    </Menu>
  )
}

export function ConsoleLayout({ children }: { children: ReactNode }) {
  useRowCheckboxLabels()
  return (
    <Layout appBar={ConsoleAppBar} menu={ConsoleMenu}>
      {children}
    </Layout>
  )
}
