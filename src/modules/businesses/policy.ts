// What each membership role may do in its business. Platform admins may do everything everywhere.
import type { BusinessContext } from '../../platform/tenancy.js'
import { POWERS } from './powers.js'

export type Power = keyof typeof POWERS

export function can(context: BusinessContext, power: Power): boolean {
  return context.role === 'platform_admin' || (POWERS[power] as readonly string[]).includes(context.role)
}
