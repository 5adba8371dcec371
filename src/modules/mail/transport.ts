// How an email leaves: an SMTP server when EMAIL_HOST is set, otherwise an .eml file under
// DATA_DIR/mail/ (and a log line), so development and the embedded default need no mail server.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Config } from '../../platform/config.js'

export type MailAttachment = { filename: string; content: string; contentType: string }
export type OutgoingMail = {
  messageId: string
  to: string[]
  subject: string
  html: string
  text: string
  attachments?: MailAttachment[]
}

export interface MailTransport {
  /** Resolves once the message is accepted (by the server, or written); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

type MailLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }

const TIMEOUT_MS = 10_000

function message(from: string, mail: OutgoingMail) {
  // Both bodies make nodemailer build multipart/alternative: clients show the HTML, others the text.
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    ...(mail.attachments && { attachments: mail.attachments }),
  }
}

function smtpTransport(config: Config, log: MailLog): MailTransport {
  const { host, port, user, password, useTls, useSsl, from } = config.email
  const transporter = nodemailer.createTransport({
    // A pool reuses connections: a burst of emails does not pay a handshake (and TLS) each.
    pool: true,
    host,
    port,
    secure: useSsl,
    requireTLS: useTls && !useSsl,
    auth: user ? { user, pass: password } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  })
  transporter.on('error', (error) => log.warn({ err: error }, 'smtp transport error'))
  return {
    async send(mail) {
      await transporter.sendMail(message(from, mail))
    },
    close() {
      transporter.close()
    },
  }
}

function fileTransport(config: Config, log: MailLog): MailTransport {
  const directory = join(config.dataDir, 'mail')
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true })
  return {
    async send(mail) {
      const { message: raw } = await composer.sendMail(message(config.email.from, mail))
      // Sorts by time; the id's start tells apart two messages of the same millisecond.
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const idStart = mail.messageId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8)
      const path = join(directory, `${stamp}-${idStart}.eml`)
      await mkdir(directory, { recursive: true })
      await writeFile(path, raw as Buffer)
      log.info({ to: mail.to, subject: mail.subject, path }, 'email written to file (no EMAIL_HOST)')
    },
    close() {
      composer.close()
    },
  }
}

export function createMailTransport(config: Config, log: MailLog): MailTransport {
  return config.email.host ? smtpTransport(config, log) : fileTransport(config, log)
}
