// The dashboard's answer and whose numbers it holds, shared by the statement that computes them
// (queries.ts) and the service that maps its row (service.ts).
import type { Status } from '../lifecycle/status.js'
import type { Period } from './period.js'

/** Whose numbers: one business, or every live business (platform admins). */
export type DashboardScope = { kind: 'business'; businessId: string } | { kind: 'platform' }

export type StatusCounts = Record<Status, number>

export type Counts = { total: number; by_status: StatusCounts; today: number; next_7_days: number }

export type DashboardStats = {
  period: Period
  from: string
  to: string
  business: { id: string; name: string } | null
  bookings: Counts
  reservations: Counts
  revenue: { amount: string; currency: string }
  occupancy: { session_id: string; title: string; booked: number; capacity: number; rate: number }[]
  new_customers: number
  top_sessions: { session_id: string; title: string; bookings: number }[]
}
