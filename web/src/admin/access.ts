// Who the console is acting as: the signed-in user, whether they run the platform, their memberships,
// and the business chosen in the switcher. Menus and buttons ask `can(power)` from the server's own
// powers table, so the console hides what the API would refuse; the API still decides.
import { usePermissions } from 'react-admin'
import { POWERS } from '../../../src/modules/businesses/powers'
import type { Business, Role, User } from '../api/types'
import { useBusinessId } from './business'

export type Power = keyof typeof POWERS

/** What the auth provider learns at sign-in (see authProvider.getPermissions). */
export type Standing = {
  user: User
  platformAdmin: boolean
  /** The businesses the user is a member of, with their role there. */
  memberships: Business[]
  /** The business chosen in the switcher when the permissions were read. */
  chosen?: string | null
}

export type Access = {
  user: User | null
  platformAdmin: boolean
  businessId: string | null
  role: Role | null
  /** May the caller do this in the chosen business? Platform admins may do everything. */
  can: (power: Power) => boolean
}

export const isPlatformAdmin = (user: User) => user.role === 'admin' || user.is_staff

/**
 * The business the console acts in: the chosen one when the user is a member there (a platform admin
 * may choose any), else their first membership; null for a platform admin acting platform-wide.
 */
export function resolveBusiness(standing: Standing, chosen: string | null): string | null {
  if (chosen && (standing.platformAdmin || standing.memberships.some((b) => b.id === chosen))) return chosen
  return standing.platformAdmin ? null : (standing.memberships[0]?.id ?? null)
}

export function accessOf(standing: Standing | undefined, chosen = standing?.chosen ?? null): Access {
  if (!standing) return { user: null, platformAdmin: false, businessId: null, role: null, can: () => false }
  const businessId = resolveBusiness(standing, chosen)
  const role = standing.memberships.find((business) => business.id === businessId)?.my_role ?? null
  const can = (power: Power) =>
    standing.platformAdmin ||
    (role !== null && businessId !== null && (POWERS[power] as readonly string[]).includes(role))
  return { user: standing.user, platformAdmin: standing.platformAdmin, businessId, role, can }
}

export function useStanding(): Standing | undefined {
  return usePermissions<Standing>().permissions
}

export function useAccess(): Access {
  return accessOf(useStanding(), useBusinessId())
}
