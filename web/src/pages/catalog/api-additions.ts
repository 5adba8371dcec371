// API shapes of the directory and of Session.next_slot, until schema.d.ts has them: the lead swaps
// these for the generated types (components['schemas']['DirectoryBusiness'], Session['next_slot'])
// once the server branch is merged and `npm run web:types` has run.
import type { Session } from '../../api/types'

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'

/** Per weekday, the [open, close] local times ("HH:MM") of the business; [] when closed. */
export type OpeningHours = Record<Weekday, [string, string][]>

export type DirectoryStaff = {
  id: string
  username: string
  first_name: string
  last_name: string
  avatar: string
}

export type DirectoryBusiness = {
  id: string
  name: string
  slug: string
  timezone: string
  currency: string
  opening_hours: OpeningHours
  staff: DirectoryStaff[]
}

/** A session with the start of its next scheduled slot (null when unscheduled or none soon). */
export type CatalogSession = Session & { next_slot?: string | null }
