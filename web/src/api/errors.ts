// Clear words for every error code the API can answer with. The API's own message is used where it
// is more specific than the general sentence (a validation message, say).
import { ApiError } from './client'

const MESSAGES: Record<string, string> = {
  network_error: 'We could not reach Tessera. Check your connection and try again.',
  validation_error: 'Some fields need another look.',
  bad_request: 'That request could not be understood. Please check what you entered.',
  not_authenticated: 'Please sign in to continue.',
  invalid_credentials: 'That username or password is not right.',
  token_invalid: 'This link is no longer valid. It may have been used already or have expired.',
  token_expired: 'Your sign-in has expired. Please sign in again.',
  otp_required: 'Enter the 6-digit code from your authenticator app.',
  otp_invalid: 'That code is not right. Codes change every 30 seconds; try the current one.',
  password_invalid: 'That password is not right.',
  permission_denied: 'You are not allowed to do that.',
  csrf_failed: 'Your page was open too long. Reload it and try again.',
  email_not_verified: 'Please verify your email address first: we sent you a link.',
  registration_closed: 'Registration is closed on this site right now.',
  business_required: 'Choose which business you are acting for.',
  not_found: 'We could not find that. It may have been removed.',
  method_not_allowed: 'That action is not available here.',
  session_full: 'Sorry, this time is fully booked. Please pick another time.',
  already_booked: 'You already have a booking for this time.',
  slot_taken: 'That time was just taken. Please choose another one.',
  seats_available: 'Seats are available again for this time: book one now instead of waiting.',
  already_waiting: 'You are already on the waiting list for this time.',
  offer_expired: 'This offer has run out: the seat was passed on to the next person in line.',
  invalid_transition: 'That change is not possible in its current status.',
  not_editable: 'This can no longer be changed: it is not pending any more.',
  too_late: 'It is too late to cancel: it has already started.',
  last_owner: 'A business needs at least one owner. Make someone else an owner first.',
  conflict: 'That conflicts with the current state. Refresh and try again.',
  payload_too_large: 'That is too large to send.',
  unsupported_media_type: 'That could not be sent in this format.',
  account_locked: 'Too many failed attempts: this account is locked for a while. Try again later.',
  throttled: 'Too many requests. Please wait a moment and try again.',
  server_error: 'Something went wrong on our side. Please try again.',
  service_unavailable: 'Tessera is busy or under maintenance. Please try again shortly.',
}

/** What to tell a person about an error: specific words for its code, with the wait when given. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return MESSAGES.server_error as string
  const general = MESSAGES[error.code]
  // Validation messages and 404s explain themselves better in the API's words.
  const own = error.code === 'validation_error' || error.code === 'bad_request' ? error.message : ''
  const text =
    own && Object.keys(error.fields).length === 0
      ? own
      : (general ?? (error.message || MESSAGES.server_error))
  const wait = error.retryAfterSeconds
  if (wait && ['throttled', 'service_unavailable', 'account_locked'].includes(error.code))
    return `${text} (about ${wait >= 90 ? `${Math.ceil(wait / 60)} min` : `${Math.ceil(wait)} s`})`
  return text as string
}

/** The field errors of a 400, keyed by field name, or an empty object. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  return Object.fromEntries(Object.entries(error.fields).map(([key, list]) => [key, list.join(' ')]))
}
