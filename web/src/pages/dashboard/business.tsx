// Which business the dashboard acts for, and what the signed-in person's role there lets them do.
import { createContext, useContext } from 'react'
import type { Business, Role, User } from '../../api/types'

export type { Role }

/** A business as GET /api/businesses/ lists it, with the caller's `my_role`. */
export type Membership = Business

/** The caller's powers: a business role, or `platform` for a platform admin acting in any business. */
export type Power = Role | 'platform' | 'none'

const RANK: Record<Power, number> = { none: 0, agent: 1, manager: 2, admin: 3, owner: 4, platform: 4 }

export const can = {
  /** Figures of GET /api/dashboard/stats/. */
  seeStats: (power: Power) => RANK[power] >= RANK.manager,
  /** Create, edit, (de)activate and delete sessions. */
  editSessions: (power: Power) => RANK[power] >= RANK.manager,
  /** Read the member list. */
  seeMembers: (power: Power) => RANK[power] >= RANK.manager,
  /** Invite, change roles, remove, see and revoke invitations. */
  manageMembers: (power: Power) => RANK[power] >= RANK.admin,
  /** Confirm, complete and cancel bookings and reservations. */
  handleBookings: (power: Power) => RANK[power] >= RANK.agent,
  /** Leave: any member (a platform admin who is not a member has nothing to leave). */
  leave: (power: Power) => power !== 'platform' && power !== 'none',
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  agent: 'Agent',
}

export const ROLES = Object.keys(ROLE_LABELS) as Role[]

export type DashboardContext = {
  business: Membership
  power: Power
  me: User
  /** `?business=<id>` for links inside the dashboard, so the choice survives a reload or a shared link. */
  search: string
}

const Context = createContext<DashboardContext | null>(null)
export const DashboardProvider = Context.Provider

export function useDashboard(): DashboardContext {
  const value = useContext(Context)
  if (!value) throw new Error('useDashboard outside the dashboard')
  return value
}

/** The caller's power in `business`: the role the API reports (`my_role`), or platform admin powers. */
export function powerIn(business: Membership | undefined, me: User | null): Power | undefined {
  if (!business || !me) return undefined
  return business.my_role ?? platformOr(me)
}

function platformOr(me: User | null): Power {
  return me && (me.role === 'admin' || me.is_staff) ? 'platform' : 'none'
}

const STORAGE_KEY = 'tessera.dashboard.business'

export function rememberBusiness(id: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, id)
  } catch {
    // Storage may be off (private mode): the URL still carries the choice.
  }
}

export function rememberedBusiness(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/** The 403 explanation used across the dashboard: the role, in plain words. */
export function roleName(power: Power): string {
  if (power === 'platform') return 'platform admin'
  if (power === 'none') return 'no role'
  return ROLE_LABELS[power].toLowerCase()
}
