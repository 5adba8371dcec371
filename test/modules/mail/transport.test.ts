// The transport against a real SMTP server (the peer), and the file fallback without EMAIL_HOST.
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import PostalMime from 'postal-mime'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMailTransport, type OutgoingMail } from '../../../src/modules/mail/transport.js'
import { testConfig } from '../../helpers/app.js'
import { type SmtpPeer, smtpConfig, startSmtpPeer } from '../../helpers/smtp.js'

type LogLine = { level: 'info' | 'warn'; obj: object; msg: string }

function recordingLog() {
  const lines: LogLine[] = []
  return {
    lines,
    info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
  }
}

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  messageId: `<${randomUUID()}@tessera.test>`,
  to: ['owner@example.com', 'admin@example.com'],
  subject: 'New booking: Flow, Wednesday 1 July 2026, 17:00 (Europe/London)',
  html: '<!doctype html><p>Ana booked <strong>Flow</strong> at Harbour Yoga &amp; Pilates.</p>',
  text: 'Ana booked Flow at Harbour Yoga & Pilates.\n',
  ...overrides,
})

describe('over SMTP', () => {
  let peer: SmtpPeer
  const log = recordingLog()
  let transport: ReturnType<typeof createMailTransport>

  beforeAll(async () => {
    peer = await startSmtpPeer()
    const config = testConfig({ ...smtpConfig(peer.port), EMAIL_FROM: 'Tessera <noreply@tessera.test>' })
    transport = createMailTransport(config, log)
  })
  afterAll(async () => {
    transport?.close()
    await peer?.close()
  })

  it('delivers to every recipient with the given Message-ID and both parts', async () => {
    const sent = mail()
    await transport.send(sent)
    const [received] = (await peer.waitFor(1)).slice(-1)
    expect(received).toMatchObject({
      envelopeTo: sent.to,
      to: sent.to,
      from: 'noreply@tessera.test',
      subject: sent.subject,
      messageId: sent.messageId,
    })
    expect(received?.text.trim()).toBe(sent.text.trim())
    expect(received?.headers['message-id']).toBe(sent.messageId)
    expect(received?.headers['content-type']).toMatch(/^multipart\/alternative/)
    expect(received?.html).toContain('<strong>Flow</strong> at Harbour Yoga &amp; Pilates')
  })

  it('keeps lines that start with a dot and long lines of non-ASCII text', async () => {
    const text = `.hidden dot\n..two dots\n.\n${'Grüße aus Zürich, '.repeat(12)}\n`
    const sent = mail({ text, subject: `Grüße · ${'a long subject '.repeat(6)}` })
    await transport.send(sent)
    const received = (await peer.waitFor(1)).find((message) => message.messageId === sent.messageId)
    expect(received?.text.trimEnd()).toBe(text.trimEnd())
    expect(received?.subject).toBe(sent.subject)
  })

  it('sends an attachment as a part of its own', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'
    const sent = mail({
      attachments: [{ filename: 'booking-1.ics', content: ics, contentType: 'text/calendar; charset=utf-8' }],
    })
    await transport.send(sent)
    const received = (await peer.waitFor(2)).find((message) => message.messageId === sent.messageId)
    expect(received?.headers['content-type']).toMatch(/^multipart\/mixed/)
    expect(received?.attachments.map((part) => [part.filename, part.mimeType])).toEqual([
      ['booking-1.ics', 'text/calendar'],
    ])
  })

  it('rejects a send the server refuses, and delivers again once it accepts', async () => {
    const before = peer.messages.length
    peer.refuse(true)
    try {
      await expect(transport.send(mail())).rejects.toThrow(/451/)
    } finally {
      peer.refuse(false)
    }
    expect(peer.messages).toHaveLength(before)

    const retried = mail()
    await transport.send(retried)
    const messages = await peer.waitFor(before + 1)
    expect(messages.at(-1)?.messageId).toBe(retried.messageId)
  })

  it('resolves only once a held message is answered', async () => {
    peer.hold(true)
    const sent = mail()
    let answered = false
    const sending = transport.send(sent).finally(() => {
      answered = true
    })
    try {
      await vi.waitFor(() => expect(peer.held()).toBe(1))
      expect(answered).toBe(false)
    } finally {
      peer.hold(false)
    }
    await sending
    expect(peer.held()).toBe(0)
    expect(peer.messages.at(-1)?.messageId).toBe(sent.messageId)
  })

  it('rejects when no server answers', async () => {
    const gone = await startSmtpPeer()
    const port = gone.port
    await gone.close()
    const unreachable = createMailTransport(testConfig(smtpConfig(port)), recordingLog())
    try {
      await expect(unreachable.send(mail())).rejects.toThrow()
    } finally {
      unreachable.close()
    }
  })
})

describe('without EMAIL_HOST', () => {
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-mail-'))
  })
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('writes each message as a parseable .eml file under DATA_DIR/mail and logs where', async () => {
    const log = recordingLog()
    const transport = createMailTransport(
      testConfig({ DATA_DIR: dataDir, EMAIL_HOST: '', EMAIL_FROM: 'Tessera <noreply@tessera.test>' }),
      log,
    )
    const sent = mail()
    await transport.send(sent)
    transport.close()

    const files = await readdir(join(dataDir, 'mail'))
    expect(files).toHaveLength(1)
    const idStart = sent.messageId.slice(1, 9)
    expect(files[0]).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z-${idStart}\\.eml$`),
    )

    const path = join(dataDir, 'mail', files[0] as string)
    const parsed = await PostalMime.parse(await readFile(path))
    expect(parsed.messageId).toBe(sent.messageId)
    expect(parsed.subject).toBe(sent.subject)
    expect(parsed.to?.map((to) => to.address)).toEqual(sent.to)
    expect(parsed.text?.trim()).toBe(sent.text.trim())
    expect(parsed.html).toContain('<strong>Flow</strong>')

    expect(log.lines).toEqual([
      { level: 'info', obj: { to: sent.to, subject: sent.subject, path }, msg: expect.any(String) },
    ])
  })
})
