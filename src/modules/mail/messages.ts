// What each email template needs to be composed: the outbox row's `params`. Only ids and the facts of
// the moment (a status change's from/to) are stored; the rest is read when the email is sent.
import { decryptSecret, deriveKey, encryptSecret } from '../../platform/crypto.js'
import type { Status, StatusEntity } from '../lifecycle/status.js'

/** `token` fields hold the mailed token sealed with sealMailToken, never the token itself. */
export type MailParams = {
  /** Welcome and verify the address: sent at registration. */
  welcome: { userId: string; token: string }
  /** A new verification link (resend, or after the address changed). */
  verify_email: { userId: string; token: string }
  /** `userId` null: no active account uses the address asked for; nothing is sent. */
  password_reset: { userId: string | null; token: string }
  /** To an invited address, whether or not it has an account. */
  invitation: { invitationId: string; token: string }
  /** To the business's owners and admins, and ADMIN_EMAIL. */
  booking_created: { bookingId: string }
  reservation_created: { reservationId: string }
  /** To the customer. */
  status_changed: { entity: StatusEntity; id: string; from: Status; to: Status }
  reminder: { entity: StatusEntity; id: string }
  /** To the first in a waiting list: a seat is held for them (nothing once the offer has ended). */
  waitlist_offer: { entryId: string }
  /** To the business's owners: an endpoint that kept failing was deactivated. */
  webhook_disabled: { endpointId: string }
}

export type MailTemplate = keyof MailParams

// Derived once per secret key: HKDF on every email cost more than opening the token with the key.
const mailTokenKeys = new Map<string, Buffer>()
function mailTokenKey(secretKey: string): Buffer {
  let key = mailTokenKeys.get(secretKey)
  if (!key) {
    key = deriveKey(secretKey, 'mail-token')
    mailTokenKeys.set(secretKey, key)
  }
  return key
}

/** Seals a token for the outbox row (readable until the email is sent). */
export const sealMailToken = (secretKey: string, token: string) =>
  encryptSecret(mailTokenKey(secretKey), token)

export const openMailToken = (secretKey: string, sealed: string) =>
  decryptSecret(mailTokenKey(secretKey), sealed)
