// Emails about bookings and reservations: the news of a new one to the business's staff, and status
// changes and reminders to the customer. Every time is on the business's clock, its zone named.
import type { Status, StatusEntity } from '../../lifecycle/status.js'
import { facts, paragraph, strong } from '../content.js'
import { formatInstant, formatMoney, formatPeriod } from '../format.js'
import { type RenderedMail, renderMail } from '../layout.js'

type Appointment = {
  siteName: string
  businessName: string
  timeZone: string
  start: Date
}

export type BookingCreatedView = Appointment & {
  customerName: string
  customerEmail: string
  sessionTitle: string
  /** The amount as stored (numeric text, "25.00"). */
  amount: string
  currency: string
}

export type ReservationCreatedView = Appointment & {
  customerName: string
  /** Null when the business may not know it (see businesses/contact-visibility.ts). */
  customerEmail: string | null
  staffName: string | null
  end: Date
  notes: string
}

/** What the customer booked or reserved, as a status change or a reminder tells it. */
export type CustomerAppointmentView = Appointment & {
  entity: StatusEntity
  customerName: string
  /** The session's title, or a description of the reservation. */
  what: string
  end: Date
}

export type StatusChangedView = CustomerAppointmentView & { from: Status; to: Status }

export type ReminderView = CustomerAppointmentView

export function bookingCreated(view: BookingCreatedView): RenderedMail {
  const when = formatInstant(view.start, view.timeZone)
  return renderMail({
    siteName: view.siteName,
    subject: `New booking: ${view.sessionTitle}, ${when}`,
    heading: 'New booking',
    body: [
      paragraph`${strong(view.customerName)} booked ${strong(view.sessionTitle)} at ${view.businessName}.`,
      facts([
        ['Customer', `${view.customerName} (${view.customerEmail})`],
        ['Session', view.sessionTitle],
        ['Starts', when],
        ['Amount', formatMoney(view.amount, view.currency)],
      ]),
    ],
  })
}

export function reservationCreated(view: ReservationCreatedView): RenderedMail {
  const when = formatPeriod(view.start, view.end, view.timeZone)
  return renderMail({
    siteName: view.siteName,
    subject: `New reservation: ${view.customerName}, ${when}`,
    heading: 'New reservation',
    body: [
      paragraph`${strong(view.customerName)} made a reservation at ${view.businessName}.`,
      facts([
        ['Customer', view.customerEmail ? `${view.customerName} (${view.customerEmail})` : view.customerName],
        ['With', view.staffName],
        ['When', when],
        ['Notes', view.notes],
      ]),
    ],
  })
}

export function statusChanged(view: StatusChangedView): RenderedMail {
  const when = formatPeriod(view.start, view.end, view.timeZone)
  return renderMail({
    siteName: view.siteName,
    subject: `Your ${view.entity} is ${view.to}: ${view.what}`,
    heading: `Your ${view.entity} is ${view.to}`,
    body: [
      paragraph`Hi ${view.customerName},`,
      paragraph`Your ${view.entity} at ${view.businessName} changed from ${view.from} to ${strong(view.to)}.`,
      facts([
        [view.entity === 'booking' ? 'Session' : 'Reservation', view.what],
        ['When', when],
        ['Where', view.businessName],
        ['Status', `${view.from} -> ${view.to}`],
      ]),
    ],
  })
}

export function reminder(view: ReminderView): RenderedMail {
  const when = formatPeriod(view.start, view.end, view.timeZone)
  return renderMail({
    siteName: view.siteName,
    subject: `Reminder: ${view.what}, ${when}`,
    heading: `Your ${view.entity} is coming up`,
    body: [
      paragraph`Hi ${view.customerName},`,
      paragraph`This is a reminder of your ${view.entity} at ${view.businessName}.`,
      facts([
        [view.entity === 'booking' ? 'Session' : 'Reservation', view.what],
        ['When', when],
        ['Where', view.businessName],
      ]),
    ],
  })
}
