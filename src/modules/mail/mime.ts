// An email as the bytes that go to the SMTP server (or into an .eml file): the text and the HTML as
// multipart/alternative, inside multipart/mixed when there are attachments. Built at once in memory
// rather than by nodemailer's composer, whose streams cost more CPU than everything else in sending an
// email; header words, parameters and bodies go through nodemailer's own encoders.
import { randomUUID } from 'node:crypto'
import { domainToASCII } from 'node:url'
import addressparser from 'nodemailer/lib/addressparser'
import * as base64 from 'nodemailer/lib/base64'
import { buildHeaderValue, encodeWord, foldLines, parseHeaderValue } from 'nodemailer/lib/mime-funcs'
import * as qp from 'nodemailer/lib/qp'

export type MimeAttachment = { filename: string; content: string; contentType: string }
export type MimeMail = {
  messageId: string
  to: string[]
  subject: string
  html: string
  text: string
  attachments?: MimeAttachment[]
}

/** The sender: its address for the SMTP envelope, and the From header. */
export type Sender = { address: string; header: string }

const LINE = 76
const CRLF = '\r\n'

/** A display name as nodemailer writes it: as is when it is words, quoted when ASCII, else encoded. */
function displayName(name: string): string {
  if (/^[\w ]*$/.test(name)) return name
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}"`
  return encodeWord(name, 'Q', 52)
}

/** An address without what could end a header or an address; an IDN domain as its ASCII form. */
export function cleanAddress(address: string): string {
  const clean = address.replace(/[\p{Cc}<>]+/gu, ' ').trim()
  const at = clean.lastIndexOf('@')
  const domain = clean.slice(at + 1)
  if (at < 0 || /^[\x20-\x7e]*$/.test(domain) || !/^[\x20-\x7e]*$/.test(clean.slice(0, at))) return clean
  return `${clean.slice(0, at)}@${domainToASCII(domain) || domain}`
}

// An address that is nothing but an address; any other goes in angle brackets, so that a comma or a
// semicolon in it cannot read as a second recipient.
const PLAIN_ADDRESS = /^[^\s"(),:;<>@[\\\]]+@[^\s"(),:;<>@[\\\]]+$/
const addressOf = (address: string) => (PLAIN_ADDRESS.test(address) ? address : `<${address}>`)

/** EMAIL_FROM ("Name <address>" or an address) as envelope sender and From header. */
export function senderOf(from: string): Sender {
  const [parsed] = addressparser(from, { flatten: true })
  const address = cleanAddress(parsed?.address ?? from)
  const name = parsed?.name ?? ''
  return { address, header: name ? `${displayName(name)} <${address}>` : addressOf(address) }
}

const header = (name: string, value: string) => foldLines(`${name}: ${value}`, LINE)

/**
 * Free text for a header: as is when it is printable ASCII, else encoded whole, as nodemailer does
 * (some clients lose the spaces around a partly encoded text).
 */
const headerText = (text: string) =>
  /^[\x20-\x7e]*$/.test(text) && !text.includes('=?') ? text : encodeWord(text, 'Q', 52)

const crlfLines = (text: string) => text.replace(/\r\n|\r|\n/g, CRLF)

function textPart(subtype: 'plain' | 'html', content: string): string {
  return [
    `Content-Type: text/${subtype}; charset=utf-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp.wrap(qp.encode(crlfLines(content)), LINE),
  ].join(CRLF)
}

function attachmentPart({ filename, content, contentType }: MimeAttachment): string {
  const type = parseHeaderValue(contentType)
  return [
    header(
      'Content-Type',
      buildHeaderValue({ value: type.value, params: { ...type.params, name: filename } }),
    ),
    'Content-Transfer-Encoding: base64',
    header('Content-Disposition', buildHeaderValue({ value: 'attachment', params: { filename } })),
    '',
    base64.wrap(base64.encode(content), LINE),
  ].join(CRLF)
}

/** A multipart body with its Content-Type header; the boundary is random, so no content can hold it. */
function multipart(subtype: 'alternative' | 'mixed', parts: string[]): string {
  const boundary = `--_Tessera-${randomUUID()}`
  return [
    header('Content-Type', `multipart/${subtype}; boundary="${boundary}"`),
    '',
    ...parts.flatMap((part) => [`--${boundary}`, part]),
    `--${boundary}--`,
    '',
  ].join(CRLF)
}

/** The whole message, lines ending in CRLF. */
export function mimeMessage(sender: Sender, mail: MimeMail): Buffer {
  const alternative = multipart('alternative', [textPart('plain', mail.text), textPart('html', mail.html)])
  const attachments = mail.attachments ?? []
  const body = attachments.length
    ? multipart('mixed', [alternative, ...attachments.map(attachmentPart)])
    : alternative
  const headers = [
    header('From', sender.header),
    header('To', mail.to.map((to) => addressOf(cleanAddress(to))).join(', ')),
    header('Subject', headerText(mail.subject)),
    `Message-ID: ${mail.messageId}`,
    `Date: ${new Date().toUTCString().replace(/GMT/, '+0000')}`,
    'MIME-Version: 1.0',
  ]
  // The body starts with its own Content-Type, the last header of the message.
  return Buffer.from([...headers, body].join(CRLF))
}
