// Renders every template from its sample to <template>.html and <template>.txt, to look at in a browser
// and an editor while changing the templates.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MAIL_TEMPLATES } from './params.js'
import { MAIL_SAMPLES } from './samples.js'
import { renderTemplate } from './templates/index.js'

/** Writes the previews into `directory` (created if missing); answers the paths written. */
export async function writeMailPreviews(directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true })
  const written: string[] = []
  for (const template of MAIL_TEMPLATES) {
    const mail = renderTemplate(template, MAIL_SAMPLES[template])
    const htmlPath = join(directory, `${template}.html`)
    const textPath = join(directory, `${template}.txt`)
    await writeFile(htmlPath, mail.html)
    await writeFile(textPath, `Subject: ${mail.subject}\n\n${mail.text}`)
    written.push(htmlPath, textPath)
  }
  return written
}
