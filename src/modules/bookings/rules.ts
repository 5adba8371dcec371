// What makes a slot bookable by a user, checked before a seat is taken: the same rules for a booking
// (service.ts) and for a place in a slot's waiting list or the claim of its offer (waitlist/).
import { badRequest, conflict, validationFailed } from '../../platform/errors.js'
import { isScheduledStart, type Schedule } from '../catalog/schedule.js'

/** The facts of a session the rules read (as the statements that check them name them). */
export type BookableSession = {
  open: boolean
  creator_id: string
  schedule: Schedule | null
  timezone: string
}

export const notOpen = () => validationFailed({ session: ['This session is not open for booking.'] })

export const alreadyBooked = () =>
  conflict('already_booked', 'You already hold a booking for this session at that time.')

/** In the order a person would give them: not open, your own, not in the future. */
export function checkBookable(
  session: Pick<BookableSession, 'open' | 'creator_id'>,
  userId: string,
  bookingDate: Date,
  now: Date,
): void {
  if (!session.open) throw notOpen()
  if (session.creator_id === userId) throw badRequest('You cannot book your own session.')
  if (bookingDate.getTime() <= now.getTime())
    throw validationFailed({ booking_date: ['Must be in the future.'] })
}

/** A scheduled session's slots are its scheduled starts; without a schedule any instant is one. */
export function checkScheduled(session: Pick<BookableSession, 'schedule' | 'timezone'>, bookingDate: Date) {
  if (session.schedule && !isScheduledStart(session.schedule, session.timezone, bookingDate))
    throw validationFailed({ booking_date: ["Not one of this session's scheduled times."] })
}
