// The per-process cache of each caller's role and flags: a change announced through `changed()` shows
// at once, an unannounced one (a crash between commit and announcement) within the entry's lifetime.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { createUserStates, USER_STATE_TTL_MS } from '../../../src/modules/accounts/user-states.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const ctx = useTestApp()
const db = () => ctx.app.deps.database.db
const setRole = (id: string, role: 'user' | 'admin') =>
  db().update(users).set({ role }).where(eq(users.id, id))

describe('user states', () => {
  it('serves the cached state until changed() or the entry’s lifetime, then the current row', async () => {
    const clock = new ManualClock(new Date('2026-06-01T10:00:00Z'))
    const states = createUserStates(db(), clock, null)
    const user = await makeUser(ctx.app)
    expect(await states.get(user.id)).toEqual({ role: 'user', isStaff: false, isActive: true })

    await setRole(user.id, 'admin')
    expect((await states.get(user.id))?.role).toBe('user')
    await states.changed(user.id)
    expect((await states.get(user.id))?.role).toBe('admin')

    await setRole(user.id, 'user')
    clock.advance(USER_STATE_TTL_MS - 1)
    expect((await states.get(user.id))?.role).toBe('admin')
    clock.advance(1)
    expect((await states.get(user.id))?.role).toBe('user')
    states.close()
  })

  it('answers null for a user that does not exist', async () => {
    const states = createUserStates(db(), new ManualClock(new Date()), null)
    expect(await states.get('00000000-0000-4000-8000-000000000000')).toBeNull()
    states.close()
  })
})
