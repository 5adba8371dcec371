// Reads the emails the server wrote as files (no EMAIL_HOST): the links people click in them.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { E2E_DATA_DIR } from './env'

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

function mailsTo(address: string): string[] {
  const dir = join(E2E_DATA_DIR, 'mail')
  let names: string[] = []
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.eml'))
  } catch {
    return []
  }
  return names
    .sort()
    .map((name) => decodeQuotedPrintable(readFileSync(join(dir, name), 'utf8')))
    .filter((mail) => new RegExp(`^To: .*${address.replace(/[.+]/g, '\\$&')}`, 'mi').test(mail))
}

/**
 * The newest link to `path` (e.g. /verify-email) with its `param` (`token`, or `entry` of a waiting-list
 * offer) in an email to `address`, waiting for it to arrive.
 */
export async function linkInMail(address: string, path: string, param = 'token'): Promise<string> {
  let link: string | undefined
  await expect
    .poll(
      () => {
        const pattern = new RegExp(
          `https?://[^\\s"'<>]*${path.replace(/[/?]/g, '\\$&')}\\?${param}=[A-Za-z0-9._~%-]+`,
          'g',
        )
        link = mailsTo(address)
          .flatMap((mail) => mail.match(pattern) ?? [])
          .at(-1)
        return link
      },
      { message: `an email to ${address} with a ${path} link`, timeout: 20_000 },
    )
    .toBeTruthy()
  return link as string
}
