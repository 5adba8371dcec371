import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../../src/platform/db/index.js'
import { csvCell } from '../../../src/platform/http/export.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { parseCsv } from '../../helpers/csv.js'
import { businessOf, makeSession } from '../../helpers/factories.js'
import { addMemberAs } from '../../helpers/tenants.js'

const ctx = useTestApp()

let owner: TestUser
let businessId: string

beforeAll(async () => {
  owner = await makeUser(ctx.app, { role: 'creator' })
  businessId = (await businessOf(ctx.app, owner)).id
  for (const title of ['=SUM(A1)', 'Plain, with "quotes"', '-2+3', '@cmd', '+1', '\tTabbed'])
    await makeSession(ctx.app, owner, {
      title,
      duration: 60,
      price: '25',
      max_participants: 5,
      description: 'line one\nline two',
    })
})

describe('csvCell', () => {
  it('quotes per RFC 4180 and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    for (const formula of ['=1+1', '+1', '-1', '@x', '\t=1+1']) expect(csvCell(formula)).toBe(`'${formula}`)
    // A leading carriage return gets the apostrophe, and the cell is quoted for the line break.
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`)
    // Only the first character counts.
    expect(csvCell('a=1')).toBe('a=1')
    expect(csvCell(' =1')).toBe(' =1')
    expect(csvCell(-1)).toBe('-1')
    expect(csvCell(null)).toBe('')
  })
})

describe('GET /api/sessions/export/', () => {
  it('streams CSV with a header row, RFC 4180 quoting and defused formulas', async () => {
    const response = await ctx.app.inject({ url: '/api/sessions/export/?format=csv', headers: owner.auth })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    expect(response.headers['content-disposition']).toContain('sessions.csv')
    const [header, ...rows] = parseCsv(response.body)
    expect(header?.slice(0, 4)).toEqual(['id', 'business', 'creator', 'title'])
    expect(rows).toHaveLength(6)
    const titles = rows.map((row) => row[3]).sort()
    expect(titles).toEqual(["'+1", "'-2+3", "'=SUM(A1)", "'@cmd", 'Plain, with "quotes"', "'\tTabbed"].sort())
    expect(rows.every((row) => row[4] === 'line one\nline two' && row[6] === '25.00')).toBe(true)
  })

  it('streams a JSON array and applies the list filters', async () => {
    const response = await ctx.app.inject({
      url: '/api/sessions/export/?format=json&search=quotes',
      headers: owner.auth,
    })
    expect(response.statusCode).toBe(200)
    const rows = JSON.parse(response.body)
    expect(rows).toEqual([expect.objectContaining({ title: 'Plain, with "quotes"', price: '25.00' })])
    const none = await ctx.app.inject({
      url: '/api/sessions/export/?format=json&search=nothing-like-it',
      headers: owner.auth,
    })
    expect(JSON.parse(none.body)).toEqual([])
  })

  it('defuses the same cells in JSON as in CSV', async () => {
    const response = await ctx.app.inject({ url: '/api/sessions/export/?format=json', headers: owner.auth })
    const titles = (JSON.parse(response.body) as { title: string }[]).map((row) => row.title).sort()
    expect(titles).toEqual(["'+1", "'-2+3", "'=SUM(A1)", "'@cmd", 'Plain, with "quotes"', "'\tTabbed"].sort())
  })

  it('is for business staff (owner/admin/manager) only', async () => {
    const customer = await makeUser(ctx.app)
    expect((await ctx.app.inject({ url: '/api/sessions/export/', headers: customer.auth })).statusCode).toBe(
      403,
    )
    expect((await ctx.app.inject({ url: '/api/sessions/export/' })).statusCode).toBe(401)
    const agent = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, businessId, agent, 'agent')
    expect((await ctx.app.inject({ url: '/api/sessions/export/', headers: agent.auth })).statusCode).toBe(403)
    // Bookings are exported by any staff member, agents included.
    expect((await ctx.app.inject({ url: '/api/bookings/export/', headers: agent.auth })).statusCode).toBe(200)
    expect((await ctx.app.inject({ url: '/api/bookings/export/', headers: customer.auth })).statusCode).toBe(
      403,
    )
  })
})

// A full collection on demand, without starting the test process with --expose-gc.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

describe('a large export', () => {
  const ROWS = 100_000
  let url: string

  beforeAll(async () => {
    await ctx.app.deps.database.db.execute(sql`
      insert into sessions (business_id, creator_id, title, description, duration, price, max_participants, created_at, updated_at)
      select ${businessId}, ${owner.id}, 'Bulk session ' || n, repeat('Long description. ', 10), 30, 10 + n % 50, 8,
             now() - make_interval(secs => n), now()
      from generate_series(1, ${ROWS}) as n`)
    url = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  }, 120_000)

  afterAll(async () => {
    await ctx.app.server.close()
  })

  it('streams 100,000 rows in constant memory', async () => {
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      ctx.app.deps.database.db,
      sql`select count(*)::int as n from sessions`,
    )
    expect(n).toBeGreaterThanOrEqual(ROWS)
    // The heap that survives a collection: what the export holds, not the garbage it leaves behind,
    // whose amount depends on when the collector runs.
    const retained = () => {
      collectGarbage()
      return process.memoryUsage().heapUsed
    }
    const baseline = retained()
    let peak = baseline
    let lines = 0
    let bytes = 0
    let chunks = 0
    const response = await fetch(`${url}/api/sessions/export/?format=csv`, { headers: owner.auth })
    expect(response.status).toBe(200)
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength
      // Counted on the bytes, so the reading side adds no strings of its own to the heap.
      for (const byte of chunk) if (byte === 13) lines++
      chunks += 1
      if (chunks % 25 === 0) peak = Math.max(peak, retained())
    }
    // Header + every row: records end in CRLF, and no field here holds a CR.
    expect(lines).toBe(n + 1)
    // Streamed, what survives a collection is a few batches of 1,000 rows (about 3 MB here); read in one
    // batch, 34 MB did.
    expect(bytes).toBeGreaterThan(25 * 1024 * 1024)
    expect(chunks).toBeGreaterThan(25)
    expect(peak - baseline).toBeLessThan(16 * 1024 * 1024)
  }, 120_000)
})
