// The events an endpoint may be sent, each with what makes it happen. A record over the API's own
// event type: an event the API adds fails to compile here until it is described.
import type { WebhookEvent } from '../../../api/types'

const EVENTS: Record<WebhookEvent, string> = {
  'booking.created': 'A booking is made',
  'booking.status_changed': 'A booking is confirmed, completed or cancelled',
  'reservation.created': 'A reservation is made',
  'reservation.status_changed': 'A reservation is confirmed, completed or cancelled',
  'session.created': 'A session is added',
  'session.updated': 'A session is changed',
  'session.deleted': 'A session is deleted',
}

/** The events as checkbox choices: the event's name, with what makes it happen. */
export const EVENT_CHOICES = Object.entries(EVENTS).map(([id, meaning]) => ({
  id,
  name: `${id} · ${meaning}`,
}))
