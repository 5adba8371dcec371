// What an endpoint's URL must be, checked when it is given: an absolute https URL (http too when
// WEBHOOK_ALLOW_PRIVATE) without credentials, and not a non-public IP address. A host name is checked
// again at every send, against what it resolves to then (send.ts).
import { isIP } from 'node:net'
import type { FieldErrors } from '../../platform/errors.js'
import { bareHost, nonPublicKind } from './addresses.js'

/** The URL as stored (normalized), with the reasons it is refused, if any, under `errors.url`. */
export function validWebhookUrl(text: string, allowPrivate: boolean, errors: FieldErrors): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    errors.url = ['Enter a valid URL.']
    return text
  }
  const problems: string[] = []
  if (!(url.protocol === 'https:' || (allowPrivate && url.protocol === 'http:')))
    problems.push(allowPrivate ? 'Use an http or https URL.' : 'Use an https URL.')
  if (url.username || url.password) problems.push('Leave the user name and password out of the URL.')
  const host = bareHost(url.hostname)
  const kind = isIP(host) ? nonPublicKind(host) : null
  if (kind && !allowPrivate) problems.push(`Use a public address, not a ${kind} one.`)
  if (problems.length > 0) errors.url = problems
  return url.href
}
