// What the business screens share: the membership roles, whether the caller holds a power in the
// business being shown (its own `my_role`, not the switcher's), and the query keys of its members
// and invitations.
import { POWERS } from '../../../../../src/modules/businesses/powers'
import type { Business, Role } from '../../../api/types'
import type { Access, Power } from '../../access'

export const ROLES: { id: Role; name: string }[] = [
  { id: 'owner', name: 'Owner' },
  { id: 'admin', name: 'Admin' },
  { id: 'manager', name: 'Manager' },
  { id: 'agent', name: 'Agent' },
]

export const roleName = (role: Role | null | undefined) => ROLES.find((item) => item.id === role)?.name ?? '—'

/** May the caller do this in `business`? Platform admins may do everything; members by their role there. */
export function canIn(
  access: Access,
  business: Pick<Business, 'my_role'> | undefined,
  power: Power,
): boolean {
  const role = business?.my_role
  return access.platformAdmin || (!!role && (POWERS[power] as readonly string[]).includes(role))
}

/** The roles the caller may hand out: only owners (and platform admins) make owners. */
export function grantableRoles(access: Access, business: Pick<Business, 'my_role'> | undefined) {
  return canIn(access, business, 'members.owners') ? ROLES : ROLES.filter((role) => role.id !== 'owner')
}

export const membersKey = (businessId: string) => ['admin', 'businesses', businessId, 'members'] as const
export const invitationsKey = (businessId: string) =>
  ['admin', 'businesses', businessId, 'invitations'] as const
