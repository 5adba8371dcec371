// RFC 5545 text through ical-generator: times in UTC, one VEVENT per event with a UID stable per row.
// DTSTAMP is the row's last change, so an unchanged feed renders byte for byte the same (its ETag holds).
import ical, { ICalEventStatus } from 'ical-generator'
import type { Status } from '../lifecycle/status.js'
import type { FeedEvent } from './events.js'

const STATUS: Record<Status, ICalEventStatus> = {
  pending: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
}

export function renderCalendar(name: string, events: FeedEvent[]): string {
  const calendar = ical({ name, prodId: { company: 'Tessera', product: 'Tessera', language: 'EN' } })
  for (const event of events) {
    calendar.createEvent({
      id: event.uid,
      start: event.start,
      end: event.end,
      summary: event.summary,
      status: STATUS[event.status],
      stamp: event.updatedAt,
      lastModified: event.updatedAt,
    })
  }
  return calendar.toString()
}
