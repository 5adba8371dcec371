// The statuses of bookings and reservations: one list, which the two database enums, the API's
// schemas, the state machine and the emails all take. A leaf module: it imports nothing of the app.

export const STATUSES = ['pending', 'confirmed', 'cancelled', 'completed'] as const
export type Status = (typeof STATUSES)[number]

/** The statuses that hold a seat or a period: pending and confirmed. */
export const ACTIVE_STATUSES = ['pending', 'confirmed'] as const satisfies readonly Status[]

/** The two kinds of row that move through these statuses. */
export type StatusEntity = 'booking' | 'reservation'
