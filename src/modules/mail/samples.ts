// Realistic view models of every template, for `cli mail-preview`: what each email looks like without a
// database or a mail server.
import { localTime } from '../../platform/dates.js'
import type { MailTemplate } from './messages.js'
import type { MailViews } from './templates/index.js'

const siteName = 'Tessera'
const link = (path: string) => `https://booking.example.com${path}?token=3q2-7wE_sample-token`
const timeZone = 'Europe/London'
const start = localTime(2026, 7, 1, 17, timeZone)
const end = new Date(start.getTime() + 60 * 60_000)
const business = { siteName, businessName: 'Harbour Yoga & Pilates', timeZone, start, end }

export const MAIL_SAMPLES: { [T in MailTemplate]: MailViews[T] } = {
  welcome: { siteName, name: 'Ana Souza', link: link('/verify-email') },
  verify_email: { siteName, name: 'Ana Souza', link: link('/verify-email') },
  password_reset: { siteName, name: 'Ana Souza', link: link('/reset-password') },
  invitation: {
    siteName,
    businessName: 'Harbour Yoga & Pilates',
    inviterName: 'Sam Okafor',
    role: 'manager',
    link: link('/invitations/accept'),
  },
  booking_created: {
    ...business,
    customerName: 'Ana Souza',
    customerEmail: 'ana@example.com',
    sessionTitle: 'Vinyasa flow (all levels)',
    amount: '18.50',
    currency: 'GBP',
  },
  reservation_created: {
    ...business,
    customerName: 'Ana Souza',
    customerEmail: 'ana@example.com',
    staffName: 'Sam Okafor',
    notes: 'First visit.\nA lower back injury last year: please go gently.',
  },
  status_changed: {
    ...business,
    entity: 'booking',
    customerName: 'Ana Souza',
    what: 'Vinyasa flow (all levels)',
    from: 'pending',
    to: 'confirmed',
  },
  reminder: {
    ...business,
    entity: 'reservation',
    customerName: 'Ana Souza',
    what: 'Appointment with Sam Okafor',
  },
  waitlist_offer: {
    ...business,
    customerName: 'Ana Souza',
    sessionTitle: 'Vinyasa flow (all levels)',
    expiresAt: new Date(start.getTime() - 22 * 60 * 60_000),
    link: 'https://booking.example.com/waitlist?entry=0b6c2c8e-3f1e-4c55-9a7e-3d1c1f0a2b4d',
  },
  webhook_disabled: {
    siteName,
    businessName: 'Harbour Yoga & Pilates',
    timeZone,
    url: 'https://hooks.example.com/tessera',
    description: 'Bookings into our CRM',
    failingSince: new Date(start.getTime() - 5 * 24 * 60 * 60_000),
    lastError: 'Answered 503 Service Unavailable',
  },
}
