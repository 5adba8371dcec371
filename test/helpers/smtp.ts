// A real SMTP server for tests, on a random local port: it keeps every message it accepts, parsed, and
// can be told to refuse, so the mail transport is tested against the protocol rather than a mock.
import type { AddressInfo } from 'node:net'
import PostalMime, { type Address } from 'postal-mime'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { afterAll, beforeAll } from 'vitest'

export type ReceivedMail = {
  /** RCPT TO of the SMTP envelope. */
  envelopeTo: string[]
  from: string
  to: string[]
  subject: string
  html: string
  text: string
  messageId: string
  /** By lower-case name; the first one when a header repeats. */
  headers: Record<string, string>
  attachments: { filename: string | null; mimeType: string; content: string }[]
  raw: string
}

export type SmtpPeer = {
  port: number
  messages: ReceivedMail[]
  /** Resolves with the messages once at least `count` have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>
  /** While on, every recipient and every message is answered with a temporary failure (451). */
  refuse(on: boolean): void
  /**
   * While on, a message is received but not answered, as if the server were slow; turning it off
   * accepts the held messages whose client is still connected (a client gone meanwhile never learnt
   * of them, so they are dropped).
   */
  hold(on: boolean): void
  /** Messages received and not answered yet. */
  held(): number
  close(): Promise<void>
}

/** The env overrides that point testConfig() at a peer (plain SMTP: the peer offers no STARTTLS). */
export function smtpConfig(port: number) {
  return { EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(port), EMAIL_USE_TLS: 'false' }
}

const addresses = (list: Address[] | undefined): string[] =>
  (list ?? []).flatMap((entry) =>
    entry.group ? entry.group.map((member) => member.address) : [entry.address],
  )

async function parse(raw: Buffer, envelopeTo: string[]): Promise<ReceivedMail> {
  const email = await PostalMime.parse(raw)
  const headers: Record<string, string> = {}
  for (const header of email.headers) headers[header.key] ??= header.value
  return {
    envelopeTo,
    from: addresses(email.from ? [email.from] : undefined)[0] ?? '',
    to: addresses(email.to),
    subject: email.subject ?? '',
    html: email.html ?? '',
    text: email.text ?? '',
    messageId: email.messageId ?? '',
    headers,
    attachments: email.attachments.map((part) => ({
      filename: part.filename,
      mimeType: part.mimeType,
      content: typeof part.content === 'string' ? part.content : new TextDecoder().decode(part.content),
    })),
    raw: raw.toString('utf8'),
  }
}

const temporaryFailure = () =>
  Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 })

/** Extra smtp-server options (onAuth, size, ...) go in `options`; accepting and refusing stay the peer's. */
export async function startSmtpPeer(
  options: Omit<SMTPServerOptions, 'onData' | 'onRcptTo' | 'onClose'> = {},
): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = []
  const waiters = new Set<() => void>()
  let refusing = false
  let holding = false
  /** By session id: the answer each held message is waiting for (one per connection at a time). */
  const unanswered = new Map<string, () => void>()

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A client's pooled connection would otherwise keep close() waiting for 30 s.
    closeTimeout: 200,
    ...options,
    onRcptTo(_address, _session, callback) {
      callback(refusing ? temporaryFailure() : null)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', callback)
      stream.on('end', () => {
        if (refusing) return callback(temporaryFailure())
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address)
        const accept = () =>
          parse(Buffer.concat(chunks), envelopeTo).then((mail) => {
            messages.push(mail)
            for (const wake of waiters) wake()
            callback()
          }, callback)
        if (holding) unanswered.set(session.id, accept)
        else accept()
      })
    },
    onClose(session) {
      unanswered.delete(session.id)
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })

  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(messages)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(
              `SMTP peer: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`,
            ),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    refuse(on) {
      refusing = on
    },
    hold(on) {
      holding = on
      if (on) return
      for (const accept of unanswered.values()) accept()
      unanswered.clear()
    },
    held() {
      return unanswered.size
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * A peer for the whole test file, started before the test app is built: call this before
 * useTestApp({ config }) with the same `config` object, which it points at the peer.
 */
export function useSmtpPeer(config: Record<string, string | undefined>): { readonly peer: SmtpPeer } {
  let peer: SmtpPeer | undefined
  beforeAll(async () => {
    peer = await startSmtpPeer()
    Object.assign(config, smtpConfig(peer.port))
  })
  afterAll(async () => {
    await peer?.close()
  })
  return {
    get peer(): SmtpPeer {
      if (!peer) throw new Error('the SMTP peer starts in beforeAll')
      return peer
    },
  }
}
