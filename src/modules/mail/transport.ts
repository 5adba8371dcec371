// How an email leaves: an SMTP server when EMAIL_HOST is set, otherwise an .eml file under
// DATA_DIR/mail/ (and a log line), so development and the embedded default need no mail server.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Config } from '../../platform/config.js'
import { cleanAddress, type MimeMail, mimeMessage, senderOf } from './mime.js'

export type OutgoingMail = MimeMail

export interface MailTransport {
  /** Resolves once the message is accepted (by the server, or written); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

type MailLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }

const TIMEOUT_MS = 10_000

function smtpTransport(config: Config, log: MailLog): MailTransport {
  const { host, port, user, password, useTls, useSsl, from } = config.email
  const sender = senderOf(from)
  const transporter = nodemailer.createTransport({
    // A pool reuses connections: a burst of emails does not pay a handshake (and TLS) each. They stay
    // open (nodemailer would reconnect after 100 messages); one the server closed is opened again.
    pool: true,
    maxMessages: Number.POSITIVE_INFINITY,
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
      const envelope = { from: sender.address, to: mail.to.map(cleanAddress) }
      // The Message-ID is in the raw message already; given here too, nodemailer does not make one up.
      await transporter.sendMail({ envelope, raw: mimeMessage(sender, mail), messageId: mail.messageId })
    },
    close() {
      transporter.close()
    },
  }
}

function fileTransport(config: Config, log: MailLog): MailTransport {
  const directory = join(config.dataDir, 'mail')
  const sender = senderOf(config.email.from)
  return {
    async send(mail) {
      const raw = mimeMessage(sender, mail)
      // Sorts by time; the id's start tells apart two messages of the same millisecond.
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const idStart = mail.messageId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8)
      const path = join(directory, `${stamp}-${idStart}.eml`)
      await mkdir(directory, { recursive: true })
      await writeFile(path, raw)
      log.info({ to: mail.to, subject: mail.subject, path }, 'email written to file (no EMAIL_HOST)')
    },
    close() {},
  }
}

export function createMailTransport(config: Config, log: MailLog): MailTransport {
  return config.email.host ? smtpTransport(config, log) : fileTransport(config, log)
}
