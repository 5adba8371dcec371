// The MIME message the transports send, read back by a mail parser as a client would: every header and
// part survives non-ASCII text, long lines, lines starting with a dot and attachments, lines end in CRLF
// and stay short, and no address or subject can add a header.
import PostalMime from 'postal-mime'
import { describe, expect, it } from 'vitest'
import { cleanAddress, type MimeMail, mimeMessage, senderOf } from '../../../src/modules/mail/mime.js'

const mail = (overrides: Partial<MimeMail> = {}): MimeMail => ({
  messageId: '<0b7c3f7e-1d2a-4c55-9a57-3a1f5b0e2d11@tessera.test>',
  to: ['ana@example.com'],
  subject: 'Welcome to Tessera',
  text: 'Hello Ana\n',
  html: '<p>Hello Ana</p>',
  ...overrides,
})

const lines = (raw: Buffer) => raw.toString('utf8').split('\r\n')
const headerBlock = (raw: Buffer) => raw.toString('utf8').split('\r\n\r\n')[0] ?? ''

describe('mimeMessage', () => {
  it('builds multipart/alternative with both parts and the given headers', async () => {
    const raw = mimeMessage(senderOf('Tessera <noreply@tessera.test>'), mail())
    const parsed = await PostalMime.parse(raw)
    expect(parsed.from).toMatchObject({ name: 'Tessera', address: 'noreply@tessera.test' })
    expect(parsed.to).toEqual([{ name: '', address: 'ana@example.com' }])
    expect(parsed.subject).toBe('Welcome to Tessera')
    expect(parsed.messageId).toBe(mail().messageId)
    // The parser keeps the line break before the boundary, as with nodemailer's messages.
    expect(parsed.text).toBe('Hello Ana\n\n')
    expect(parsed.html).toBe('<p>Hello Ana</p>\n')
    const headers = new Map(parsed.headers.map((header) => [header.key, header.value]))
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative; boundary=/)
    expect(headers.get('mime-version')).toBe('1.0')
    expect(new Date(headers.get('date') ?? '').getTime()).toBeGreaterThan(Date.now() - 60_000)
  })

  it('keeps non-ASCII text, long lines and lines that start with a dot, in short CRLF lines', async () => {
    const subject = `Neue Buchung: Café «Zürich» · ${'sehr lange Betreffzeile '.repeat(4)}`
    const text = `Grüße, Ana\n.a line starting with a dot\ntrailing space \n${'word '.repeat(40)}end\n`
    const html = `<p style="color:#111">Grüße — €25 ${'<b>x</b> '.repeat(30)}</p>`
    const raw = mimeMessage(senderOf('"Café, Tessera" <noreply@tessera.test>'), mail({ subject, text, html }))
    const parsed = await PostalMime.parse(raw)
    expect(parsed.subject).toBe(subject)
    expect(parsed.from?.name).toBe('Café, Tessera')
    expect(parsed.text).toBe(`${text}\n`)
    expect(parsed.html).toBe(`${html}\n`)
    expect(raw.toString('utf8')).not.toMatch(/[^\r]\n/)
    expect(raw.every((byte) => byte < 0x80)).toBe(true)
    expect(lines(raw).filter((line) => line.length > 78)).toEqual([])
  })

  it('adds attachments as parts of multipart/mixed, their names encoded when needed', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n'
    const raw = mimeMessage(
      senderOf('noreply@tessera.test'),
      mail({
        attachments: [
          {
            filename: 'booking-1.ics',
            content: ics,
            contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
          },
          { filename: 'réservation 2.ics', content: ics, contentType: 'text/calendar; charset=utf-8' },
        ],
      }),
    )
    const parsed = await PostalMime.parse(raw)
    expect(headerBlock(raw)).toMatch(/Content-Type: multipart\/mixed;/)
    expect(parsed.text).toBe('Hello Ana\n\n')
    expect(
      parsed.attachments.map((part) => [
        part.filename,
        part.mimeType,
        new TextDecoder().decode(part.content as ArrayBuffer),
      ]),
    ).toEqual([
      // The parser gives a text attachment's lines with LF endings.
      ['booking-1.ics', 'text/calendar', ics.replace(/\r\n/g, '\n')],
      ['réservation 2.ics', 'text/calendar', ics.replace(/\r\n/g, '\n')],
    ])
    expect(raw.toString('utf8')).toMatch(/method=PUBLISH/)
  })

  it('lets no address or subject start a header of its own', async () => {
    const raw = mimeMessage(
      senderOf('noreply@tessera.test'),
      mail({
        to: ['ana@example.com\r\nBcc: eve@example.com', 'odd,one@example.com'],
        subject: 'Hi\r\nBcc: x@y',
      }),
    )
    const headers = (await PostalMime.parse(raw)).headers.map((header) => header.key)
    expect(headers).not.toContain('bcc')
    expect(headerBlock(raw)).toMatch(/^To: <ana@example.com Bcc: eve@example.com>, <odd,one@example.com>$/m)
  })
})

describe('cleanAddress', () => {
  it('writes an international domain in ASCII and drops what could end the address', () => {
    expect(cleanAddress('ana@exämple.com')).toBe('ana@xn--exmple-cua.com')
    expect(cleanAddress(' <ana@example.com>\n')).toBe('ana@example.com')
    expect(cleanAddress('ana@example.com')).toBe('ana@example.com')
  })
})
