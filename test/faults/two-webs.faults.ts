// Two web processes on two ports, one database and one Redis, as behind a load balancer: what one
// process learns, the other knows. A cookie session made on one works on the other; failed logins and
// throttles count across both; a session edit on one drops the cached catalog on the other at once; a
// settings change reaches the other within a second.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Child } from '../../bench/processes.js'
import { ownStack, type Stack } from './support/stack.js'
import {
  type Account,
  call,
  dataOf,
  makeAccounts,
  makeOwner,
  makeSession,
  startWeb,
} from './support/tessera.js'

const ANON_RATE = 40

let stack: Stack
let one: Child
let two: Child
let owner: Awaited<ReturnType<typeof makeOwner>>
let admin: Account

/** A client address of its own (TRUST_PROXY is on): each use's throttle counts start at zero. */
let addressCounter = 0
const newAddress = () => ({ 'x-forwarded-for': `203.0.113.${++addressCounter}` })

beforeAll(async () => {
  stack = await ownStack({ TRUST_PROXY: 'true', THROTTLE_ANON: `${ANON_RATE}/minute` })
  one = await startWeb(stack.env, 'web one')
  two = await startWeb(stack.env, 'web two')
  ;[admin] = (await makeAccounts(stack.database, 1, 'admin')) as [Account]
  owner = await makeOwner(one.url)
})

afterAll(() => stack?.teardown())

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

describe('two web processes, one database and one Redis', () => {
  it('a cookie session made on one works on the other, CSRF included', async () => {
    const headers = newAddress()
    const csrf = await call(one.url, 'GET', '/api/auth/csrf/', { headers })
    const token = dataOf<{ csrf_token: string }>(csrf, 200, 'csrf').csrf_token
    const login = await call(one.url, 'POST', '/api/auth/session/login/', {
      body: { username: owner.username, password: owner.password },
      headers: { ...headers, cookie: cookiesOf(csrf.headers), 'x-csrftoken': token, origin: one.url },
    })
    expect(login.status, JSON.stringify(login.body)).toBe(200)
    const cookie = cookiesOf(login.headers)
    const csrfAfterLogin = /csrftoken=([^;]+)/.exec(cookie)?.[1] as string
    const profile = await call(two.url, 'GET', '/api/auth/profile/', { headers: { ...headers, cookie } })
    expect(profile.status).toBe(200)
    expect((profile.body.data as { username: string }).username).toBe(owner.username)
    const edit = await call(two.url, 'PATCH', '/api/auth/profile/', {
      body: { first_name: 'Across' },
      headers: { ...headers, cookie, 'x-csrftoken': csrfAfterLogin, origin: two.url },
    })
    expect(edit.status, JSON.stringify(edit.body)).toBe(200)
    const logout = await call(two.url, 'POST', '/api/auth/session/logout/', {
      headers: { ...headers, cookie, 'x-csrftoken': csrfAfterLogin, origin: two.url },
    })
    expect(logout.status).toBe(200)
    expect(
      (await call(one.url, 'GET', '/api/auth/profile/', { headers: { ...headers, cookie } })).status,
    ).toBe(401)
    console.log('cookie session: made on one, used and ended on two, refused on one afterwards')
  })

  it('failed logins lock the account across both', async () => {
    const victim = await makeOwner(one.url)
    const failures = []
    for (let n = 0; n < 5; n++) {
      const server = n % 2 === 0 ? one : two
      const answer = await call(server.url, 'POST', '/api/auth/login/', {
        body: { username: victim.username, password: 'wrong-Password-1' },
        headers: newAddress(),
      })
      failures.push(answer.status)
    }
    const locked = await call(two.url, 'POST', '/api/auth/login/', {
      body: { username: victim.username, password: victim.password },
      headers: newAddress(),
    })
    console.log(
      `lockout: five failures alternating one/two answered ${failures.join(', ')}; then the right password on two: ${locked.status}`,
    )
    expect(failures).toEqual([401, 401, 401, 401, 401])
    expect(locked.status).toBe(423)
    expect(locked.headers.get('retry-after')).toBeTruthy()
  })

  it(`throttles count across both (${ANON_RATE} anonymous requests a minute from one address)`, async () => {
    const headers = newAddress()
    const statuses: number[] = []
    for (let n = 0; n < ANON_RATE + 2; n++) {
      const server = n % 2 === 0 ? one : two
      statuses.push((await call(server.url, 'GET', '/api/sessions/', { headers })).status)
    }
    const allowed = statuses.filter((status) => status === 200).length
    console.log(
      `throttle: ${allowed} of ${statuses.length} alternating requests allowed, then ${statuses.slice(allowed).join(', ')}`,
    )
    expect(statuses.slice(0, ANON_RATE)).toEqual(Array(ANON_RATE).fill(200))
    expect(statuses.slice(ANON_RATE)).toEqual([429, 429])
  })

  it('a session edit on one drops the cached catalog on the other at once', async () => {
    const session = await makeSession(one.url, owner.token, 5)
    const path = `/api/sessions/${session}/`
    const title = async () =>
      dataOf<{ title: string }>(await call(two.url, 'GET', path, { headers: newAddress() }), 200, 'detail')
        .title
    expect(await title()).toBe('Fault class')
    expect(await title()).toBe('Fault class')
    const edited = await call(one.url, 'PATCH', path, {
      token: owner.token,
      body: { title: 'Renamed on one' },
    })
    expect(edited.status).toBe(200)
    const seen = await title()
    console.log(`catalog cache: the detail on two right after the edit on one says "${seen}"`)
    expect(seen).toBe('Renamed on one')
  })

  it('a settings change on one reaches the other within a second', async () => {
    const change = (allow: boolean) =>
      call(one.url, 'PATCH', '/api/settings/', { token: admin.token, body: { allow_registration: allow } })
    expect((await change(false)).status).toBe(200)
    const changedAt = performance.now()
    let refusedAfterMs: number | null = null
    while (performance.now() - changedAt < 3000) {
      const username = `late_${randomBytes(4).toString('hex')}`
      const answer = await call(two.url, 'POST', '/api/auth/register/', {
        body: { username, email: `${username}@faults.test`, password: 'Faults-register-9' },
        headers: newAddress(),
      })
      if (answer.status === 403 && answer.body.code === 'registration_closed') {
        refusedAfterMs = performance.now() - changedAt
        break
      }
    }
    expect((await change(true)).status).toBe(200)
    console.log(`settings: registration closed on one, refused on two after ${refusedAfterMs?.toFixed(0)} ms`)
    expect(refusedAfterMs).not.toBeNull()
    expect(refusedAfterMs).toBeLessThanOrEqual(1000)
  })
})
