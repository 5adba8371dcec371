// /api/settings/: the platform settings, for platform admins.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { callerSecurity, platformAdminOnly } from '../../platform/http/guards.js'
import { CurrencyCode, Text } from '../../platform/http/inputs.js'
import { actorOf } from '../audit/actor.js'
import { type SettingsService, settingsOut } from './service.js'

const SettingsSchema = Type.Object(
  {
    site_name: Type.String(),
    timezone: Type.String({ description: 'IANA time zone, e.g. Europe/London' }),
    default_currency: Type.String({ description: 'ISO 4217 code' }),
    pending_expiry_hours: Type.Integer(),
    reminder_hours_before: Type.Integer(),
    allow_registration: Type.Boolean(),
    waitlist_hold_minutes: Type.Integer({
      description: 'How long a seat offered from a waiting list stays held for its person',
    }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'PlatformSettings' },
)

const SettingsPatch = Type.Object({
  site_name: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
  timezone: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
  default_currency: Type.Optional(CurrencyCode()),
  pending_expiry_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 8760 })),
  reminder_hours_before: Type.Optional(Type.Integer({ minimum: 0, maximum: 8760 })),
  allow_registration: Type.Optional(Type.Boolean()),
  waitlist_hold_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10080 })),
})

export async function settingsRoutes(app: App, { settings }: { settings: SettingsService }) {
  const schema = { tags: ['settings'], security: callerSecurity }
  app.get(
    '/api/settings/',
    { onRequest: platformAdminOnly, schema: { ...schema, response: { 200: Envelope(SettingsSchema) } } },
    async () => ok(settingsOut(await settings.get())),
  )
  app.patch(
    '/api/settings/',
    {
      onRequest: platformAdminOnly,
      schema: { ...schema, body: SettingsPatch, response: { 200: Envelope(SettingsSchema) } },
    },
    async (request) =>
      ok(settingsOut(await settings.update(request.body, actorOf(request))), 'Settings updated'),
  )
}
