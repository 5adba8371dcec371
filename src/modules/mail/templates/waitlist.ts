// The waiting list's offer: a seat of a full slot freed, and it is held for the first in line until a
// deadline, to claim on the waiting-list page.
import { button, facts, paragraph, strong } from '../content.js'
import { formatInstant, formatPeriod } from '../format.js'
import { type RenderedMail, renderMail } from '../layout.js'

export type WaitlistOfferView = {
  siteName: string
  businessName: string
  timeZone: string
  customerName: string
  sessionTitle: string
  start: Date
  end: Date
  /** Until when the seat is held. */
  expiresAt: Date
  /** The waiting-list page, where the seat is claimed. */
  link: string
}

export function waitlistOffer(view: WaitlistOfferView): RenderedMail {
  const when = formatPeriod(view.start, view.end, view.timeZone)
  const until = formatInstant(view.expiresAt, view.timeZone)
  return renderMail({
    siteName: view.siteName,
    subject: `A seat is free for you: ${view.sessionTitle}, ${when}`,
    heading: 'A seat is free for you',
    body: [
      paragraph`Hi ${view.customerName},`,
      paragraph`A seat of ${strong(view.sessionTitle)} at ${view.businessName} has freed up, and you are first in line. It is held for you until ${strong(until)}.`,
      facts([
        ['Session', view.sessionTitle],
        ['When', when],
        ['Where', view.businessName],
        ['Held until', until],
      ]),
      button('Claim the seat', view.link),
      paragraph`If you no longer want it, leave the waiting list there: the seat then goes to the next person in line.`,
    ],
  })
}
