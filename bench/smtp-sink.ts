// A local SMTP server that accepts every message and remembers its Message-ID: the bench's stand-in for
// a mail provider. Imported (bench:mail) or run as a process of its own (`bench --production`, so that
// receiving does not take the load generator's CPU), then with SMTP_PORT for mail and PORT for an HTTP
// GET /received that answers the Message-IDs received so far, in order, duplicates included.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { SMTPServer } from 'smtp-server'

export type SmtpSink = {
  port: number
  /** Message-ID → arrival (performance.now()), the first arrival of each. */
  received: Map<string, number>
  /** Every Message-ID in arrival order, a redelivered one each time. */
  arrivals: string[]
  arrival(id: string): Promise<number>
  /** Stops listening and drops the open connections (a provider going away, not a graceful goodbye). */
  close(): Promise<void>
}

export function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received = new Map<string, number>()
  const arrivals: string[] = []
  const waiters = new Map<string, () => void>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // The bench's worker keeps a pool of connections open for the whole run.
    maxClients: 100,
    closeTimeout: 100,
    onData(stream, _session, callback) {
      let head = ''
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('utf8')
      })
      stream.on('end', () => {
        const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? ''
        arrivals.push(id)
        if (!received.has(id)) received.set(id, performance.now())
        waiters.get(id)?.()
        callback()
      })
    },
  })
  // A client that dies mid-conversation (a killed worker) resets its connection: nothing to report.
  server.on('error', () => {})
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.server.address() as AddressInfo).port,
        received,
        arrivals,
        arrival: (id) =>
          new Promise((done) => {
            const at = received.get(id)
            if (at !== undefined) return done(at)
            waiters.set(id, () => done(received.get(id) as number))
          }),
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sink = await startSmtpSink(Number(process.env.SMTP_PORT))
  const http = createServer((request, response) => {
    if (request.url !== '/received') return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sink.arrivals))
  })
  http.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1')
  process.once('SIGTERM', () => {
    void sink.close()
    http.close(() => process.exit(0))
  })
}
