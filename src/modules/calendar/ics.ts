// RFC 5545 text through ical-generator: times in UTC, one VEVENT per event with a UID stable per row
// (the feeds and the emails' attachments give a booking the same one, so calendars keep one copy).
// DTSTAMP is the row's last change, so an unchanged feed renders byte for byte the same (its ETag holds).
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { Status, StatusEntity } from '../lifecycle/status.js'

/** A booking or reservation as a calendar event. */
export type FeedEvent = {
  uid: string
  start: Date
  end: Date
  summary: string
  status: Status
  updatedAt: Date
}

export const eventUid = (entity: StatusEntity, id: string) => `${entity}-${id}@tessera`

const STATUS: Record<Status, ICalEventStatus> = {
  pending: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
}

/** A calendar of `events`; `publish` marks a one-off (an email's attachment) as METHOD:PUBLISH. */
export function renderCalendar(name: string, events: FeedEvent[], publish = false): string {
  const calendar = ical({
    name,
    prodId: { company: 'Tessera', product: 'Tessera', language: 'EN' },
    ...(publish && { method: ICalCalendarMethod.PUBLISH }),
  })
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
