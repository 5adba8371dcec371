// What each membership role may do in its business. Platform admins may do everything everywhere.
import type { BusinessContext, MembershipRole } from '../../platform/tenancy.js'

const ALL: MembershipRole[] = ['owner', 'admin', 'manager', 'agent']

export const POWERS = {
  'business.read': ALL,
  'business.update': ['owner', 'admin'],
  'business.delete': ['owner'],
  'members.read': ['owner', 'admin', 'manager'],
  'members.write': ['owner', 'admin'],
  // Making, unmaking or removing an owner.
  'members.owners': ['owner'],
  'audit.read': ['owner', 'admin'],
  // Adding, changing and deleting the business's sessions (and so its creators' rights over theirs).
  'sessions.write': ['owner', 'admin', 'manager'],
  // Reading the business's inactive sessions.
  'sessions.read': ALL,
  'sessions.export': ['owner', 'admin', 'manager'],
  // Reading the business's bookings, and confirming, completing and cancelling them.
  'bookings.read': ALL,
  'bookings.act': ALL,
  'bookings.export': ALL,
  // Reading the business's reservations.
  'reservations.read': ALL,
  // Staff handle the business's reservations: create for a customer, edit, confirm, complete, cancel.
  'reservations.manage': ALL,
  'reservations.export': ALL,
  // Revenue and occupancy are for managers and above, not agents (API.md, "Settled details").
  'dashboard.read': ['owner', 'admin', 'manager'],
} as const satisfies Record<string, readonly MembershipRole[]>

export type Power = keyof typeof POWERS

export function can(context: BusinessContext, power: Power): boolean {
  return context.role === 'platform_admin' || (POWERS[power] as readonly string[]).includes(context.role)
}
