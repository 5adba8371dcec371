// Template name -> view model -> rendered email. Templates read no database, so the preview command
// and the tests render them from plain objects.
import type { RenderedMail } from '../layout.js'
import type { MailTemplate } from '../messages.js'
import { type AccountView, passwordReset, verifyEmail, welcome } from './account.js'
import {
  type BookingCreatedView,
  bookingCreated,
  type ReminderView,
  type ReservationCreatedView,
  reminder,
  reservationCreated,
  type StatusChangedView,
  statusChanged,
} from './appointments.js'
import { type InvitationView, invitation } from './invitation.js'
import { type WaitlistOfferView, waitlistOffer } from './waitlist.js'
import { type WebhookDisabledView, webhookDisabled } from './webhooks.js'

export type MailViews = {
  welcome: AccountView
  verify_email: AccountView
  password_reset: AccountView
  invitation: InvitationView
  booking_created: BookingCreatedView
  reservation_created: ReservationCreatedView
  status_changed: StatusChangedView
  reminder: ReminderView
  waitlist_offer: WaitlistOfferView
  webhook_disabled: WebhookDisabledView
}

const templates: { [T in MailTemplate]: (view: MailViews[T]) => RenderedMail } = {
  welcome,
  verify_email: verifyEmail,
  password_reset: passwordReset,
  invitation,
  booking_created: bookingCreated,
  reservation_created: reservationCreated,
  status_changed: statusChanged,
  reminder,
  waitlist_offer: waitlistOffer,
  webhook_disabled: webhookDisabled,
}

export function renderTemplate<T extends MailTemplate>(template: T, view: MailViews[T]): RenderedMail {
  return templates[template](view)
}
