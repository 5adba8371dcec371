// GET/PATCH /api/settings/: who may, the defaults, validation, the audit row, and the in-process cache
// with its invalidation (in this process, and in another one through Redis pub/sub).
// The settings row is one per database: every test that changes it puts the old values back.
import { and, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../../src/app.js'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { platformSettings } from '../../../src/modules/settings/tables.js'
import type { Redis } from '../../../src/platform/redis.js'
import {
  login,
  makeAdmin,
  makeUser,
  STRONG_PASSWORD,
  type TestUser,
  uniqueName,
} from '../../helpers/accounts.js'
import { openTestRedis, testConfig, useTestApp } from '../../helpers/app.js'

const DEFAULTS = {
  site_name: 'Tessera',
  timezone: 'UTC',
  default_currency: 'EUR',
  pending_expiry_hours: 24,
  reminder_hours_before: 24,
  allow_registration: true,
  waitlist_hold_minutes: 120,
}

type SettingsOut = typeof DEFAULTS & { updated_at: string }

/** Settings helpers bound to one app; `restore` puts the defaults back after a test changed them. */
function settingsOf(get: () => App) {
  const call = (options: InjectOptions) => get().inject(options)
  return {
    call,
    async read(admin: TestUser): Promise<SettingsOut> {
      const response = await call({ url: '/api/settings/', headers: admin.auth })
      expect(response.statusCode, response.body).toBe(200)
      return response.json().data
    },
    patch: (admin: TestUser, payload: Record<string, unknown>) =>
      call({ method: 'PATCH', url: '/api/settings/', headers: admin.auth, payload }),
    async restore(admin: TestUser) {
      const response = await call({
        method: 'PATCH',
        url: '/api/settings/',
        headers: admin.auth,
        payload: DEFAULTS,
      })
      expect(response.statusCode, response.body).toBe(200)
    },
  }
}

describe('the platform settings API', () => {
  const ctx = useTestApp()
  const api = settingsOf(() => ctx.app)
  let admin: TestUser
  beforeAll(async () => {
    admin = await makeAdmin(ctx.app)
  })
  afterEach(async () => {
    await api.restore(admin)
  })

  it('starts with the defaults', async () => {
    const response = await api.call({ url: '/api/settings', headers: admin.auth })
    expect(response.statusCode).toBe(200)
    const { data } = response.json()
    expect(Object.keys(data).sort()).toEqual([...Object.keys(DEFAULTS), 'updated_at'].sort())
    expect(data).toMatchObject(DEFAULTS)
    expect(new Date(data.updated_at).toISOString()).toBe(data.updated_at)
  })

  it('is for platform admins only: anonymous 401, a plain user or a business owner 403', async () => {
    const user = await makeUser(ctx.app)
    const creator = await makeUser(ctx.app, { role: 'creator' })
    for (const method of ['GET', 'PATCH'] as const) {
      const payload = method === 'PATCH' ? { site_name: 'Hijacked' } : undefined
      const anonymous = await api.call({ method, url: '/api/settings/', payload })
      expect(anonymous.statusCode, method).toBe(401)
      expect(anonymous.json().code).toBe('not_authenticated')
      for (const who of [user, creator]) {
        const response = await api.call({ method, url: '/api/settings/', headers: who.auth, payload })
        expect(response.statusCode, method).toBe(403)
        expect(response.json().code).toBe('permission_denied')
      }
    }
    expect((await api.read(admin)).site_name).toBe('Tessera')
  })

  it('PATCH changes the given fields only and answers with all of them', async () => {
    const response = await api.patch(admin, { site_name: 'Tessera Staging', reminder_hours_before: 2 })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().message).toBeTruthy()
    expect(response.json().data).toMatchObject({
      ...DEFAULTS,
      site_name: 'Tessera Staging',
      reminder_hours_before: 2,
    })
    expect(await api.read(admin)).toMatchObject({
      ...DEFAULTS,
      site_name: 'Tessera Staging',
      reminder_hours_before: 2,
    })
  })

  it('refuses a timezone that is not an IANA zone, and every other bad field with it', async () => {
    const zone = await api.patch(admin, { timezone: 'Mars/Olympus' })
    expect(zone.statusCode).toBe(400)
    expect(zone.json().code).toBe('validation_error')
    expect(Object.keys(zone.json().errors)).toEqual(['timezone'])

    const several = await api.patch(admin, { timezone: 'Mars/Olympus', default_currency: 'ZZZ' })
    expect(several.statusCode).toBe(400)
    expect(Object.keys(several.json().errors).sort()).toEqual(['default_currency', 'timezone'])

    for (const payload of [
      { default_currency: 'eur' },
      { pending_expiry_hours: -1 },
      { reminder_hours_before: 1.5 },
      { site_name: '' },
      { allow_registration: 'maybe' },
      { waitlist_hold_minutes: 4 },
      { waitlist_hold_minutes: 10081 },
    ]) {
      const response = await api.patch(admin, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(Object.keys(response.json().errors), JSON.stringify(payload)).toEqual(Object.keys(payload))
    }
    expect(await api.read(admin)).toMatchObject(DEFAULTS)
  })

  it('a change is audited (entity settings, only the changed fields); a refused one is not', async () => {
    const db = ctx.app.deps.database.db
    const settingsRows = () => db.select().from(auditLog).where(eq(auditLog.entity, 'settings'))
    const before = await settingsRows()
    expect((await api.patch(admin, { timezone: 'Mars/Olympus' })).statusCode).toBe(400)
    expect(await settingsRows()).toEqual(before)

    const requestId = `settings-${Date.now()}`
    const response = await api.call({
      method: 'PATCH',
      url: '/api/settings/',
      headers: { ...admin.auth, 'x-request-id': requestId },
      payload: { site_name: 'Audited', timezone: 'Europe/Berlin', allow_registration: true },
    })
    expect(response.statusCode).toBe(200)
    const entries = await api.call({
      url: '/api/audit-log/?entity=settings&page_size=1',
      headers: admin.auth,
    })
    expect(entries.statusCode).toBe(200)
    expect(entries.json().data[0]).toEqual({
      id: expect.any(String),
      actor: { id: admin.id, username: admin.username },
      action: 'update',
      entity: 'settings',
      entity_id: '1',
      changes: { site_name: ['Tessera', 'Audited'], timezone: ['UTC', 'Europe/Berlin'] },
      request_id: requestId,
      at: expect.any(String),
    })
    const [row] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'settings'), eq(auditLog.requestId, requestId)))
    expect(row?.businessId).toBeNull()
  })

  it('new businesses take the changed default timezone and currency', async () => {
    const owner = await makeUser(ctx.app)
    const create = async (name: string) => {
      const response = await api.call({
        method: 'POST',
        url: '/api/businesses/',
        headers: owner.auth,
        payload: { name },
      })
      expect(response.statusCode, response.body).toBe(201)
      return response.json().data
    }
    // Read once so the old values sit in the cache.
    expect(await create('Before')).toMatchObject({ timezone: 'UTC', currency: 'EUR' })
    expect((await api.patch(admin, { timezone: 'Asia/Tokyo', default_currency: 'JPY' })).statusCode).toBe(200)
    expect(await create('After')).toMatchObject({ timezone: 'Asia/Tokyo', currency: 'JPY' })
    // A creator registering now gets the new defaults too.
    const creator = await makeUser(ctx.app, { role: 'creator' })
    const own = await api.call({ url: '/api/businesses/', headers: creator.auth })
    expect(own.json().data).toEqual([expect.objectContaining({ timezone: 'Asia/Tokyo', currency: 'JPY' })])
  })

  it('a business made inside another transaction reads cold settings through it (no deadlock)', async () => {
    // The cache is cold right after a change; an admin making a user a creator then creates the
    // business inside the user update's transaction. On PGlite (one connection) reading the settings
    // outside that transaction used to wait forever.
    const user = await makeUser(ctx.app)
    expect((await api.patch(admin, { timezone: 'America/Sao_Paulo' })).statusCode).toBe(200)
    const promoted = await api.call({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: admin.auth,
      payload: { role: 'creator' },
    })
    expect(promoted.statusCode, promoted.body).toBe(200)
    const own = await api.call({ url: '/api/businesses/', headers: user.auth })
    expect(own.json().data).toEqual([expect.objectContaining({ timezone: 'America/Sao_Paulo' })])
  })

  it('allow_registration false closes registration (403 registration_closed); true opens it again', async () => {
    const register = () => {
      const username = uniqueName('reg')
      return api.call({
        method: 'POST',
        url: '/api/auth/register/',
        payload: { username, email: `${username}@example.com`, password: STRONG_PASSWORD },
      })
    }
    expect((await api.patch(admin, { allow_registration: false })).statusCode).toBe(200)
    const closed = await register()
    expect(closed.statusCode).toBe(403)
    expect(closed.json().code).toBe('registration_closed')
    // Existing users still log in.
    expect((await login(ctx.app, admin)).id).toBe(admin.id)
    expect((await api.patch(admin, { allow_registration: true })).statusCode).toBe(200)
    expect((await register()).statusCode).toBe(201)
  })
})

describe('the settings cache', () => {
  // No Redis here: nothing but this process's own changes may invalidate the cache.
  const ctx = useTestApp({ deps: { redis: null } })
  const api = settingsOf(() => ctx.app)
  let admin: TestUser
  beforeAll(async () => {
    admin = await makeAdmin(ctx.app)
  })
  afterEach(async () => {
    await api.restore(admin)
  })

  it('serves reads from memory until a change through the service invalidates it', async () => {
    expect((await api.read(admin)).site_name).toBe('Tessera')
    // A change behind the service's back is not seen: the value is cached.
    await ctx.app.deps.database.db
      .update(platformSettings)
      .set({ siteName: 'Behind its back' })
      .where(eq(platformSettings.id, 1))
    expect((await api.read(admin)).site_name).toBe('Tessera')
    // A change through the API invalidates the cache (and the row shows the direct change was real).
    const response = await api.patch(admin, { reminder_hours_before: 3 })
    expect(response.json().data).toMatchObject({ site_name: 'Behind its back', reminder_hours_before: 3 })
    expect(await api.read(admin)).toMatchObject({ site_name: 'Behind its back', reminder_hours_before: 3 })
  })
})

describe('invalidation across processes', () => {
  const ctx = useTestApp()
  const first = settingsOf(() => ctx.app)

  /**
   * Wraps `redis.duplicate()` so the test can wait until the settings service's subscriber is
   * listening: a message published before that would be lost, and the test would prove nothing.
   */
  function watchSubscriptions(redis: Redis): Promise<unknown>[] {
    const subscriptions: Promise<unknown>[] = []
    const duplicate = redis.duplicate.bind(redis)
    redis.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
      const copy = duplicate(...args)
      const subscribe = copy.subscribe.bind(copy) as (...channels: string[]) => Promise<unknown>
      copy.subscribe = ((...channels: string[]) => {
        const subscribed = subscribe(...channels)
        subscriptions.push(subscribed)
        return subscribed
      }) as Redis['subscribe']
      return copy
    }) as Redis['duplicate']
    return subscriptions
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 2000): Promise<T> {
    const deadline = Date.now() + ms
    for (;;) {
      const value = await read()
      if (done(value) || Date.now() > deadline) return value
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it.skipIf(!process.env.REDIS_URL)(
    'a change in one app reaches the cache of another through Redis',
    async () => {
      const config = testConfig()
      // Another key prefix, as another process of another deployment could have: channels ignore it.
      const redis = openTestRedis(config)
      if (!redis) throw new Error('REDIS_URL is set, so there is a Redis')
      const subscriptions = watchSubscriptions(redis)
      let second: App | undefined
      const admin = await makeAdmin(ctx.app)
      try {
        second = await buildApp(config, { database: ctx.app.deps.database, redis })
        await second.ready()
        // The settings service's and the user states' subscribers.
        expect(subscriptions).toHaveLength(2)
        await Promise.all(subscriptions)
        const app2 = second
        const other = settingsOf(() => app2)
        const admin2 = await login(app2, admin)

        // The second app reads (and caches) the current value; the first one changes it.
        expect((await other.read(admin2)).site_name).toBe('Tessera')
        expect((await first.read(admin)).site_name).toBe('Tessera')
        expect((await first.patch(admin, { site_name: 'Changed elsewhere' })).statusCode).toBe(200)
        const seen = await eventually(
          () => other.read(admin2),
          (settings) => settings.site_name === 'Changed elsewhere',
        )
        expect(seen.site_name).toBe('Changed elsewhere')

        // And back the other way.
        expect((await other.patch(admin2, { site_name: 'Changed back' })).statusCode).toBe(200)
        const back = await eventually(
          () => first.read(admin),
          (settings) => settings.site_name === 'Changed back',
        )
        expect(back.site_name).toBe('Changed back')
      } finally {
        await first.restore(admin)
        await second?.close()
        redis.disconnect()
      }
    },
  )
})
