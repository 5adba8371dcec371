import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { type Answer, cachedAnswer, dropCachedAnswers } from '../../../src/modules/catalog/cache.js'
import { MemoryCache } from '../../../src/platform/cache.js'
import { makeUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeSession } from '../../helpers/factories.js'

const ctx = useTestApp()
const uncached = useTestApp({ config: { CATALOG_CACHE_TTL: '0s' } })

const publicTitles = async (query = '') =>
  (await ctx.app.inject({ url: `/api/sessions/${query}` }))
    .json()
    .data.map((row: { title: string }) => row.title)

describe('the public catalog cache', () => {
  it('never serves a list or a detail older than the last write to a session', async () => {
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const search = `?search=${owner.username}`
    const first = await makeSession(ctx.app, owner, { title: `${owner.username} one` })
    expect(await publicTitles(search)).toEqual([`${owner.username} one`])
    const detail = async () => ctx.app.inject({ url: `/api/sessions/${first.id}/` })
    expect((await detail()).json().data.title).toBe(`${owner.username} one`)

    await makeSession(ctx.app, owner, { title: `${owner.username} two` })
    expect(await publicTitles(search)).toEqual([`${owner.username} two`, `${owner.username} one`])

    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${first.id}/`,
      headers: owner.auth,
      payload: { title: `${owner.username} renamed` },
    })
    expect(await publicTitles(search)).toContain(`${owner.username} renamed`)
    expect((await detail()).json().data.title).toBe(`${owner.username} renamed`)

    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${first.id}/`,
      headers: owner.auth,
      payload: { status: 'inactive' },
    })
    expect(await publicTitles(search)).toEqual([`${owner.username} two`])
    expect((await detail()).statusCode).toBe(404)

    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${first.id}/`,
      headers: owner.auth,
      payload: { status: 'active' },
    })
    await ctx.app.inject({ method: 'DELETE', url: `/api/sessions/${first.id}/`, headers: owner.auth })
    expect(await publicTitles(search)).toEqual([`${owner.username} two`])
    expect((await detail()).statusCode).toBe(404)
  })

  it('drops answers when a business changes or closes', async () => {
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const session = await makeSession(ctx.app, owner, { title: `${owner.username} class` })
    const search = `?search=${owner.username}`
    expect((await ctx.app.inject({ url: `/api/sessions/${search}` })).json().data[0].business.name).toBe(
      owner.username,
    )
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/businesses/${session.business.id}/`,
      headers: owner.auth,
      payload: { name: 'Renamed studio' },
    })
    expect((await ctx.app.inject({ url: `/api/sessions/${search}` })).json().data[0].business.name).toBe(
      'Renamed studio',
    )
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/businesses/${session.business.id}/`,
      headers: owner.auth,
      payload: { is_active: false },
    })
    expect(await publicTitles(search)).toEqual([])
    expect((await ctx.app.inject({ url: `/api/sessions/${session.id}/` })).statusCode).toBe(404)
  })

  it('drops answers when a creator changes the name shown beside their sessions', async () => {
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const created = await makeSession(ctx.app, owner, { title: `${owner.username} named` })
    const creatorName = async () =>
      (await ctx.app.inject({ url: `/api/sessions/?search=${owner.username}` })).json().data[0].creator
        .first_name
    const detailName = async () =>
      (await ctx.app.inject({ url: `/api/sessions/${created.id}/` })).json().data.creator.first_name
    expect(await creatorName()).toBe('')
    expect(await detailName()).toBe('')
    const renamed = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: owner.auth,
      payload: { first_name: 'Renamed' },
    })
    expect(renamed.statusCode).toBe(200)
    expect(await creatorName()).toBe('Renamed')
    expect(await detailName()).toBe('Renamed')
  })

  it('keeps staff views out of the cache', async () => {
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const session = await makeSession(ctx.app, owner, { title: `${owner.username} hidden` })
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${session.id}/`,
      headers: owner.auth,
      payload: { status: 'inactive' },
    })
    const search = `?search=${owner.username}`
    expect(await publicTitles(search)).toEqual([])
    const staff = await ctx.app.inject({
      url: `/api/sessions/${search}`,
      headers: { ...owner.auth, 'x-business-id': session.business.id },
    })
    expect(staff.json().data.map((row: { title: string }) => row.title)).toEqual([`${owner.username} hidden`])
    expect(await publicTitles(search)).toEqual([])
  })
})

describe('CATALOG_CACHE_TTL', () => {
  // A title changed behind the API's back (no invalidation) shows whether an answer came from the cache.
  async function detailAfterHiddenRename(app: App): Promise<string> {
    const owner = await makeUser(app, { role: 'creator' })
    const session = await makeSession(app, owner, { title: 'Before' })
    const detail = async () => (await app.inject({ url: `/api/sessions/${session.id}/` })).json().data.title
    expect(await detail()).toBe('Before')
    await app.deps.database.db.execute(sql`update sessions set title = 'After' where id = ${session.id}`)
    return detail()
  }

  it('serves public answers from the cache by default', async () => {
    expect(await detailAfterHiddenRename(ctx.app)).toBe('Before')
  })

  it('turns the cache off with 0s', async () => {
    expect(await detailAfterHiddenRename(uncached.app)).toBe('After')
  })
})

describe('MemoryCache', () => {
  it('does not store a value computed before an invalidation', async () => {
    const cache = new MemoryCache()
    const { version } = await cache.get('ns', 'k')
    await cache.invalidate('ns')
    await cache.set('ns', version, 'k', 'stale', 60_000)
    expect((await cache.get('ns', 'k')).value).toBeNull()
    const fresh = await cache.get('ns', 'k')
    await cache.set('ns', fresh.version, 'k', 'fresh', 60_000)
    expect((await cache.get('ns', 'k')).value).toBe('fresh')
  })
})

describe('answers being computed', () => {
  /** A computation that counts its runs and ends when `finish` is called. */
  function gate(answer: (run: number) => Answer | Error) {
    let runs = 0
    const finishers: (() => void)[] = []
    const compute = () => {
      runs += 1
      const run = runs
      return new Promise<Answer>((resolve, reject) => {
        finishers.push(() => {
          const result = answer(run)
          if (result instanceof Error) reject(result)
          else resolve(result)
        })
      })
    }
    const finish = () => {
      for (const finishOne of finishers.splice(0)) finishOne()
    }
    return { compute, runs: () => runs, finish }
  }
  const deps = () => ({ cache: new MemoryCache(), cacheTtlMs: 60_000 })
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

  it('computes a public answer once for callers that ask at the same time', async () => {
    const cache = deps()
    const list = gate((run) => ({ body: `list ${run}`, public: true }))
    const answers = Array.from({ length: 20 }, () => cachedAnswer(cache, 'list:/', list.compute))
    await settle()
    list.finish()
    expect(await Promise.all(answers)).toEqual(Array(20).fill('list 1'))
    expect(list.runs()).toBe(1)
  })

  it('lets each caller compute its own when the shared answer is private or fails', async () => {
    for (const first of [{ body: 'staff view', public: false }, new Error('not found')]) {
      const cache = deps()
      const detail = gate((run) => (run === 1 ? first : { body: `public ${run}`, public: true }))
      const leader = cachedAnswer(cache, 'detail:x', detail.compute).catch((error: Error) => error.message)
      const follower = cachedAnswer(cache, 'detail:x', detail.compute)
      await settle()
      detail.finish()
      await settle()
      detail.finish()
      expect(await follower).toBe('public 2')
      expect(await leader).toBe(first instanceof Error ? 'not found' : 'staff view')
    }
  })

  it('does not hand an answer begun before a write to a caller that asks after it', async () => {
    const cache = deps()
    const list = gate((run) => ({ body: `list ${run}`, public: true }))
    const before = cachedAnswer(cache, 'list:/', list.compute)
    await settle()
    await dropCachedAnswers(cache)
    const after = cachedAnswer(cache, 'list:/', list.compute)
    await settle()
    list.finish()
    expect([await before, await after]).toEqual(['list 1', 'list 2'])
  })
})
