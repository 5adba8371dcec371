// To a business's owners: one of its webhook endpoints failed for days without a success, and was
// switched off. Nothing is sent to it until someone turns it back on.
import { facts, paragraph, strong } from '../content.js'
import { formatInstant } from '../format.js'
import { type RenderedMail, renderMail } from '../layout.js'

export type WebhookDisabledView = {
  siteName: string
  businessName: string
  timeZone: string
  url: string
  description: string
  /** The first failure since its last success. */
  failingSince: Date
  /** The last attempt's error. */
  lastError: string | null
}

export function webhookDisabled(view: WebhookDisabledView): RenderedMail {
  return renderMail({
    siteName: view.siteName,
    subject: `Webhook endpoint deactivated: ${view.url}`,
    heading: 'A webhook endpoint was deactivated',
    body: [
      paragraph`The webhook endpoint ${strong(view.url)} of ${view.businessName} has failed every delivery since ${formatInstant(view.failingSince, view.timeZone)}, so it no longer receives events.`,
      facts([
        ['Endpoint', view.url],
        ['Description', view.description],
        ['Failing since', formatInstant(view.failingSince, view.timeZone)],
        ['Last error', view.lastError],
      ]),
      paragraph`Once it answers again, turn it back on (PATCH it with "is_active": true). Its delivery log shows each attempt; events it missed can be sent again from there.`,
    ],
  })
}
