// Platform settings: read through an in-process cache, invalidated on every change; with Redis, a
// change in one process invalidates every other process's cache through pub/sub.
import { eq } from 'drizzle-orm'
import { openBroadcast } from '../../platform/broadcast.js'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { inRequestTransaction } from '../../platform/db/request-transaction.js'
import { validationFailed } from '../../platform/errors.js'
import type { Redis } from '../../platform/redis.js'
import { type Actor, changedFields, recordAudit } from '../audit/service.js'
import { platformSettings } from './tables.js'

export type Settings = typeof platformSettings.$inferSelect
export type SettingsPatch = Partial<{
  site_name: string
  timezone: string
  default_currency: string
  pending_expiry_hours: number
  reminder_hours_before: number
  allow_registration: boolean
  waitlist_hold_minutes: number
}>

const CHANNEL = 'tessera:settings-changed'
// A safety net for a missed invalidation message (Redis reconnecting): no copy lives longer.
const CACHE_TTL_MS = 60_000

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))
export const isCurrency = (code: string) => CURRENCIES.has(code)

export function settingsOut(settings: Settings) {
  return {
    site_name: settings.siteName,
    timezone: settings.timezone,
    default_currency: settings.defaultCurrency,
    pending_expiry_hours: settings.pendingExpiryHours,
    reminder_hours_before: settings.reminderHoursBefore,
    allow_registration: settings.allowRegistration,
    waitlist_hold_minutes: settings.waitlistHoldMinutes,
    updated_at: settings.updatedAt.toISOString(),
  }
}

export function createSettingsService(db: Database, clock: Clock, redis: Redis | null) {
  let cached: Promise<Settings> | undefined
  // What `cached` resolved to, once it has.
  let loaded: Settings | undefined
  let loadedAt = 0
  const invalidate = () => {
    cached = undefined
    loaded = undefined
  }
  const broadcast = openBroadcast(redis, CHANNEL, invalidate, invalidate)

  async function load(executor: Database): Promise<Settings> {
    const [row] = await executor.select().from(platformSettings).where(eq(platformSettings.id, 1))
    if (!row) throw new Error('platform_settings has no row: run the migrations')
    return row
  }

  return {
    /**
     * The settings, from the cache or loaded through `executor`. Callers inside a transaction pass it:
     * loading through the pool instead would wait for a second connection, which PGlite never has.
     */
    get(executor: Database = db): Promise<Settings> {
      const now = clock.now().getTime()
      const fresh = now - loadedAt <= CACHE_TTL_MS
      // A load another request began may be waiting for this request's transaction (PGlite has one
      // connection): inside one, take only a finished load, or read through the transaction.
      if (inRequestTransaction()) return fresh && loaded ? Promise.resolve(loaded) : load(db)
      if (!cached || !fresh) {
        loadedAt = now
        loaded = undefined
        cached = load(executor).then(
          (settings) => {
            loaded = settings
            return settings
          },
          (error) => {
            cached = undefined
            throw error
          },
        )
      }
      return cached
    },

    async update(patch: SettingsPatch, actor: Actor): Promise<Settings> {
      const errors: Record<string, string[]> = {}
      if (patch.timezone !== undefined && !isTimeZone(patch.timezone))
        errors.timezone = ['Not a valid IANA time zone.']
      if (patch.default_currency !== undefined && !isCurrency(patch.default_currency)) {
        errors.default_currency = ['Not an ISO 4217 currency code.']
      }
      if (Object.keys(errors).length > 0) throw validationFailed(errors)
      const changes = {
        ...(patch.site_name !== undefined && { siteName: patch.site_name }),
        ...(patch.timezone !== undefined && { timezone: patch.timezone }),
        ...(patch.default_currency !== undefined && { defaultCurrency: patch.default_currency }),
        ...(patch.pending_expiry_hours !== undefined && { pendingExpiryHours: patch.pending_expiry_hours }),
        ...(patch.reminder_hours_before !== undefined && {
          reminderHoursBefore: patch.reminder_hours_before,
        }),
        ...(patch.allow_registration !== undefined && { allowRegistration: patch.allow_registration }),
        ...(patch.waitlist_hold_minutes !== undefined && {
          waitlistHoldMinutes: patch.waitlist_hold_minutes,
        }),
      }
      const now = clock.now()
      const updated = await db.transaction(async (tx) => {
        const [before] = await tx
          .select()
          .from(platformSettings)
          .where(eq(platformSettings.id, 1))
          .for('update')
        const [after] = await tx
          .update(platformSettings)
          .set({ ...changes, updatedAt: now, updatedBy: actor.userId })
          .where(eq(platformSettings.id, 1))
          .returning()
        if (!before || !after) throw new Error('platform_settings has no row: run the migrations')
        const changed = changedFields(settingsOut(before), settingsOut(after))
        delete changed.updated_at
        await recordAudit(
          tx,
          { actor, businessId: null, action: 'update', entity: 'settings', entityId: '1', changes: changed },
          now,
        )
        return after
      })
      invalidate()
      // Should telling the other processes fail, they still drop their copy within CACHE_TTL_MS.
      await broadcast.publish('changed')
      return updated
    },

    async close() {
      broadcast.close()
    },
  }
}

export type SettingsService = ReturnType<typeof createSettingsService>
