// The yardstick: the least any request that touches the database can cost here, namely node:http, one
// pooled pg query and a JSON answer. The bench reports each scenario's req/s as a percentage of this.
// Environment: DATABASE_URL (required), DATABASE_POOL_SIZE (the app's pool size), HOST, PORT.
import { createServer } from 'node:http'
import pg from 'pg'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('yardstick: DATABASE_URL is required')
  process.exit(2)
}
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE || 10) })
pool.on('error', (error) => console.error(`yardstick: idle database connection failed: ${error.message}`))

// One primary-key lookup of a seeded session: the floor cost of any request that touches the database.
const QUERY = 'SELECT id, title, price, duration, max_participants, status FROM sessions WHERE id = $1'
const ROUTE = /^\/session\/([0-9a-f-]{36})\/?$/i

const server = createServer(async (request, response) => {
  const id = request.method === 'GET' ? ROUTE.exec(request.url ?? '')?.[1] : undefined
  if (!id) {
    response.writeHead(404).end()
    return
  }
  try {
    const { rows } = await pool.query(QUERY, [id])
    if (!rows[0]) {
      response.writeHead(404).end()
      return
    }
    const body = JSON.stringify(rows[0])
    response
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      .end(body)
  } catch (error) {
    console.error(`yardstick: ${(error as Error).message}`)
    response.writeHead(500).end()
  }
})

server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1')

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
    pool.end().finally(() => process.exit(0))
  })
}
