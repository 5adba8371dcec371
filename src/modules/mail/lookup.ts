// The reads of emails composed together (a batch from the outbox), shared: the ids that the emails ask
// for while they are composed are read with one query per kind, and an id asked for twice is read once.
// A lookup lives as long as its batch, so every email still reads the data of its sending time.
import type { Database } from '../../platform/db/index.js'
import {
  findBookings,
  findInvitations,
  findPeople,
  findReservations,
  findWaitlistEntries,
  findWebhookEndpoints,
  memberEmails,
} from './queries.js'

type Read<Row> = (ids: string[]) => Promise<Map<string, Row>>

/**
 * One row by id, through `read`: the ids asked for until the event loop's next turn (after the
 * emails of a batch have all asked) go to `read` together. Undefined for a row that is gone.
 */
function batched<Row>(read: Read<Row>): (id: string) => Promise<Row | undefined> {
  const asked = new Map<string, Promise<Row | undefined>>()
  let pending = new Map<string, { resolve(row: Row | undefined): void; reject(error: unknown): void }>()

  function flush(): void {
    const waiting = pending
    pending = new Map()
    read([...waiting.keys()]).then(
      (rows) => {
        for (const [id, { resolve }] of waiting) resolve(rows.get(id))
      },
      (error) => {
        for (const { reject } of waiting.values()) reject(error)
      },
    )
  }

  return (id) => {
    let row = asked.get(id)
    if (!row) {
      row = new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
      if (pending.size === 1) setImmediate(flush)
      asked.set(id, row)
    }
    return row
  }
}

export function mailLookup(db: Database) {
  return {
    user: batched((ids) => findPeople(db, ids)),
    booking: batched((ids) => findBookings(db, ids)),
    reservation: batched((ids) => findReservations(db, ids)),
    invitation: batched((ids) => findInvitations(db, ids)),
    waitlistEntry: batched((ids) => findWaitlistEntries(db, ids)),
    webhookEndpoint: batched((ids) => findWebhookEndpoints(db, ids)),
    ownerAndAdminEmails: batched((ids) => memberEmails(db, ids, ['owner', 'admin'])),
    ownerEmails: batched((ids) => memberEmails(db, ids, ['owner'])),
  }
}

export type MailLookup = ReturnType<typeof mailLookup>
