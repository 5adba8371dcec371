// What the businesses services take from the app, in a module of its own: service.ts, members.ts and
// invitations.ts all take it, and none of them imports another for it.
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import type { SettingsService } from '../settings/service.js'

export type BusinessDeps = {
  db: Database
  clock: Clock
  settings: SettingsService
  /** Called after a change that public answers embed (a business's name, slug, activity). */
  onPublicChange: () => Promise<void>
}
