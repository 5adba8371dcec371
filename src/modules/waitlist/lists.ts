// GET /api/waitlist/: the caller's own entries, newest first, through the keyset-list helper.
import { sql } from 'drizzle-orm'
import { keysetList } from '../../platform/db/keyset.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import type { Caller } from '../businesses/access.js'
import { type EntryJoined, joinedEntries } from './queries.js'
import type { WaitlistDeps } from './service.js'
import { type WaitlistStatus, waitlistEntries } from './tables.js'

type ListedEntry = EntryJoined & { sortKey: string }

const entryList = keysetList<ListedEntry>('waitlist')

export function listOwnEntries(
  deps: WaitlistDeps,
  caller: Caller,
  query: { status?: WaitlistStatus },
  page: PageRequest,
) {
  return entryList.page(
    deps.db,
    {
      shape: 'own',
      select: (db, _value, extra) => joinedEntries(db, extra).$dynamic(),
      where: (value) => sql`${waitlistEntries.userId} = ${value('user')}`,
      values: { user: caller.user.id },
      filters: { status: query.status },
      conditions: { status: (value) => sql`${waitlistEntries.status} = ${value}` },
      countFrom: sql`${waitlistEntries}`,
      order: {
        key: waitlistEntries.createdAt,
        keyType: sql`timestamptz`,
        id: waitlistEntries.id,
        descending: true,
      },
      position: (row) => [row.sortKey, row.entry.id],
    },
    page,
  )
}
