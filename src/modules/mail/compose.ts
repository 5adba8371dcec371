// From an outbox row to an email: read what the template needs and whom it goes to, then render it.
// Null means there is nobody to send to any more; the job then marks the row done without sending.
// The emails of one composer share their reads (lookup.ts): a batch of rows costs a few queries.
import type { Config } from '../../platform/config.js'
import type { Database } from '../../platform/db/index.js'
import { eventUid, type FeedEvent, renderCalendar } from '../calendar/ics.js'
import type { Status, StatusEntity } from '../lifecycle/status.js'
import { personName } from './format.js'
import { type MailLookup, mailLookup } from './lookup.js'
import { type MailParams, type MailTemplate, openMailToken } from './messages.js'
import { isMailTemplate, mailParams } from './params.js'
import type { Person } from './queries.js'
import type { AccountView } from './templates/account.js'
import type { CustomerAppointmentView } from './templates/appointments.js'
import { type MailViews, renderTemplate } from './templates/index.js'
import type { OutgoingMail } from './transport.js'

export type ComposedMail = Omit<OutgoingMail, 'messageId'>
export type MailDeps = {
  db: Database
  config: Config
  /** The platform settings (cached): the site name signs every email. */
  settings: { get(): Promise<{ siteName: string }> }
}

/** Whom to send to, what the template shows, and the booking or reservation as a calendar event. */
type Addressed<T extends MailTemplate> = { to: string[]; view: MailViews[T]; event?: FeedEvent }
type Context = MailDeps & { siteName: string; lookup: MailLookup }
type Loader<T extends MailTemplate> = (
  context: Context,
  params: MailParams[T],
) => Promise<Addressed<T> | null>

/**
 * An account email to the user's current address, with the token's link; nothing for an inactive user,
 * nor for a reset asked for an address no active account used (no user).
 */
const accountMail =
  (path: string) =>
  async (
    { config, siteName, lookup }: Context,
    { userId, token }: MailParams['password_reset'],
  ): Promise<{ to: string[]; view: AccountView } | null> => {
    if (userId === null) return null
    const user = await lookup.user(userId)
    if (!user?.isActive) return null
    const opened = encodeURIComponent(openMailToken(config.secretKey, token))
    return {
      to: [user.email],
      view: { siteName, name: personName(user), link: `${config.frontendUrl}${path}?token=${opened}` },
    }
  }

/** The business's owners and admins and ADMIN_EMAIL, each address once whatever its case. */
async function staffRecipients({ lookup, config }: Context, businessId: string): Promise<string[]> {
  const addresses = [...((await lookup.ownerAndAdminEmails(businessId)) ?? []), config.adminEmail ?? '']
  const byLowerCase = new Map<string, string>()
  for (const address of addresses.filter(Boolean)) {
    if (!byLowerCase.has(address.toLowerCase())) byLowerCase.set(address.toLowerCase(), address)
  }
  return [...byLowerCase.values()]
}

/** A booking's or reservation's row as the `.ics` attachment's one event. */
function appointmentEvent(
  entity: StatusEntity,
  id: string,
  row: { start: Date; end: Date; status: Status; updatedAt: Date },
  summary: string,
): FeedEvent {
  return {
    uid: eventUid(entity, id),
    start: row.start,
    end: row.end,
    summary,
    status: row.status,
    updatedAt: row.updatedAt,
  }
}

const bookingEnd = (booking: { start: Date; durationMinutes: number }) =>
  new Date(booking.start.getTime() + booking.durationMinutes * 60_000)

// A deactivated account gets no email at all, as with the account emails.
const customerAddress = (customer: Person) => (customer.isActive ? [customer.email] : [])

/** A booking or a reservation as its customer hears about it. */
async function customerAppointment(
  { lookup, siteName }: Context,
  entity: CustomerAppointmentView['entity'],
  id: string,
): Promise<{ to: string[]; view: CustomerAppointmentView; event: FeedEvent } | null> {
  const common = { siteName, entity }
  if (entity === 'booking') {
    const booking = await lookup.booking(id)
    if (!booking) return null
    const end = bookingEnd(booking)
    return {
      to: customerAddress(booking.customer),
      event: appointmentEvent(
        entity,
        id,
        { ...booking, end },
        `${booking.sessionTitle} · ${booking.business.name}`,
      ),
      view: {
        ...common,
        businessName: booking.business.name,
        timeZone: booking.business.timeZone,
        customerName: personName(booking.customer),
        what: booking.sessionTitle,
        start: booking.start,
        end,
      },
    }
  }
  const reservation = await lookup.reservation(id)
  if (!reservation) return null
  const what = reservation.staff
    ? `Appointment with ${personName(reservation.staff)}`
    : `Appointment at ${reservation.business.name}`
  return {
    to: customerAddress(reservation.customer),
    event: appointmentEvent(entity, id, reservation, what),
    view: {
      ...common,
      businessName: reservation.business.name,
      timeZone: reservation.business.timeZone,
      customerName: personName(reservation.customer),
      what,
      start: reservation.start,
      end: reservation.end,
    },
  }
}

const loaders: { [T in MailTemplate]: Loader<T> } = {
  welcome: accountMail('/verify-email'),
  verify_email: accountMail('/verify-email'),
  password_reset: accountMail('/reset-password'),

  // To the address as invited: no account is looked up, there may be none.
  async invitation({ lookup, config, siteName }, { invitationId, token }) {
    const invitation = await lookup.invitation(invitationId)
    if (!invitation) return null
    const opened = encodeURIComponent(openMailToken(config.secretKey, token))
    return {
      to: [invitation.email],
      view: {
        siteName,
        businessName: invitation.businessName,
        inviterName: invitation.inviter ? personName(invitation.inviter) : null,
        role: invitation.role,
        link: `${config.frontendUrl}/invitations/accept?token=${opened}`,
      },
    }
  },

  async booking_created(context, { bookingId }) {
    const booking = await context.lookup.booking(bookingId)
    if (!booking) return null
    const summary = `${booking.sessionTitle} · ${personName(booking.customer)}`
    return {
      to: await staffRecipients(context, booking.businessId),
      event: appointmentEvent('booking', bookingId, { ...booking, end: bookingEnd(booking) }, summary),
      view: {
        siteName: context.siteName,
        businessName: booking.business.name,
        timeZone: booking.business.timeZone,
        customerName: personName(booking.customer),
        customerEmail: booking.customer.email,
        sessionTitle: booking.sessionTitle,
        start: booking.start,
        amount: booking.amount,
        currency: booking.business.currency,
      },
    }
  },

  async reservation_created(context, { reservationId }) {
    const reservation = await context.lookup.reservation(reservationId)
    if (!reservation) return null
    const summary = `Reservation · ${personName(reservation.customer)}`
    return {
      to: await staffRecipients(context, reservation.businessId),
      event: appointmentEvent('reservation', reservationId, reservation, summary),
      view: {
        siteName: context.siteName,
        businessName: reservation.business.name,
        timeZone: reservation.business.timeZone,
        customerName: personName(reservation.customer),
        // A reservation staff made for a stranger does not give the business the stranger's address.
        customerEmail: reservation.customerKnown ? reservation.customer.email : null,
        staffName: reservation.staff ? personName(reservation.staff) : null,
        start: reservation.start,
        end: reservation.end,
        notes: reservation.notes,
      },
    }
  },

  async status_changed(context, { entity, id, from, to }) {
    const appointment = await customerAppointment(context, entity, id)
    return appointment && { ...appointment, view: { ...appointment.view, from, to } }
  },

  reminder: (context, { entity, id }) => customerAppointment(context, entity, id),

  // Only while the offer stands: one claimed, declined or run out by sending time is news no more.
  async waitlist_offer({ lookup, config, siteName }, { entryId }) {
    const entry = await lookup.waitlistEntry(entryId)
    if (!(entry?.status === 'offered' && entry.offerExpiresAt)) return null
    return {
      to: customerAddress(entry.customer),
      view: {
        siteName,
        businessName: entry.business.name,
        timeZone: entry.business.timeZone,
        customerName: personName(entry.customer),
        sessionTitle: entry.sessionTitle,
        start: entry.start,
        end: bookingEnd(entry),
        expiresAt: entry.offerExpiresAt,
        link: `${config.frontendUrl}/waitlist?entry=${entryId}`,
      },
    }
  },

  // Only while it is still off for failing: one turned back on (or deleted) by sending time is news no more.
  async webhook_disabled({ lookup, siteName }, { endpointId }) {
    const endpoint = await lookup.webhookEndpoint(endpointId)
    if (!endpoint?.failingSince || endpoint.isActive) return null
    return {
      to: (await lookup.ownerEmails(endpoint.businessId)) ?? [],
      view: {
        siteName,
        businessName: endpoint.business.name,
        timeZone: endpoint.business.timeZone,
        url: endpoint.url,
        description: endpoint.description,
        failingSince: endpoint.failingSince,
        lastError: endpoint.lastError,
      },
    }
  },
}

async function compose<T extends MailTemplate>(
  deps: MailDeps & { lookup: MailLookup },
  template: T,
  params: unknown,
): Promise<ComposedMail | null> {
  const context = { ...deps, siteName: (await deps.settings.get()).siteName }
  const addressed = await loaders[template](context, mailParams(template, params))
  if (!addressed || addressed.to.length === 0) return null
  const { event } = addressed
  const attachments = event && [
    {
      filename: `${event.uid.split('@')[0]}.ics`,
      content: renderCalendar(context.siteName, [event], true),
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    },
  ]
  return {
    to: addressed.to,
    ...renderTemplate(template, addressed.view),
    ...(attachments && { attachments }),
  }
}

export type MailComposer = (template: string, params: unknown) => Promise<ComposedMail | null>

/**
 * Composes emails that read together: those composed at the same time share their queries. Each
 * answers null when there is nobody to send to any more (user, booking or reservation gone, no
 * recipients), and rejects on an unknown template or bad params.
 */
export function mailComposer(deps: MailDeps): MailComposer {
  const shared = { ...deps, lookup: mailLookup(deps.db) }
  return (template, params) => {
    if (!isMailTemplate(template)) return Promise.reject(new Error(`unknown mail template "${template}"`))
    return compose(shared, template, params)
  }
}

/** One email on its own (see mailComposer). */
export function composeMail(deps: MailDeps, template: string, params: unknown): Promise<ComposedMail | null> {
  return mailComposer(deps)(template, params)
}
