// API errors as react-admin expects them: an HttpError whose message is the clear sentence for its
// code, in the words of the resource it came from where the general sentence would be vague, and
// whose body carries the field errors, which forms show under their fields.
import { HttpError } from 'react-admin'
import { ApiError } from '../api/client'
import { describeError, fieldErrors } from '../api/errors'

/** `own`: the API's message, which names the cause better than any general sentence could. */
type Words = Partial<Record<string, string | 'own'>>

const WEBHOOK_DENIED = 'Only owners and admins of the business (and platform admins) manage its webhooks.'

/** What a code means on a resource's pages, where it says more than the general sentence. */
const RESOURCE_WORDS: Record<string, Words> = {
  webhooks: {
    permission_denied: WEBHOOK_DENIED,
    not_found: 'That webhook endpoint no longer exists: someone may have deleted it. Go back to the list.',
    // A business's endpoints are limited in number; the API says how many.
    conflict: 'own',
  },
  'webhook-deliveries': {
    permission_denied: WEBHOOK_DENIED,
    not_found: 'That delivery or its endpoint no longer exists. Refresh the page.',
    // Redelivering to an inactive endpoint: the API says to activate it first.
    conflict: 'own',
  },
}

/** Field names as the forms label them, for the sentence that lists a request's field errors. */
const FIELD_LABELS: Record<string, string> = {
  url: 'URL',
  events: 'Events',
  is_active: 'Active',
  description: 'Description',
}

/** What to tell a person about an error on the pages of `resource`. */
export function describeFor(error: unknown, resource?: string): string {
  const words = resource ? RESOURCE_WORDS[resource] : undefined
  const specific = error instanceof ApiError ? words?.[error.code] : undefined
  if (specific === 'own' && error instanceof ApiError && error.message) return error.message
  return specific && specific !== 'own' ? specific : describeError(error)
}

export function toHttpError(error: unknown, resource?: string): unknown {
  if (!(error instanceof ApiError)) return error
  const errors = fieldErrors(error)
  const fields = Object.entries(errors)
    .map(([field, message]) => `${FIELD_LABELS[field] ?? field}: ${message}`)
    .join(' ')
  const text = describeFor(error, resource)
  return new HttpError(fields ? `${text} ${fields}` : text, error.status, { code: error.code, errors })
}
