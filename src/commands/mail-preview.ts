// `npm run mail-preview`: every email template rendered with sample data, as .html and .txt files.
import { join, resolve } from 'node:path'
import { writeMailPreviews } from '../modules/mail/preview.js'
import type { Config } from '../platform/config.js'
import { type Command, readFlags } from './command.js'

const USAGE = 'usage: mail-preview [--out DIR]'

async function run(config: Config, argv: string[]): Promise<number> {
  const values = readFlags(argv, { out: { type: 'string' } }, USAGE)
  const directory = resolve(values.out ?? join(config.dataDir, 'mail-preview'))
  for (const path of await writeMailPreviews(directory)) console.log(path)
  return 0
}

export const mailPreview: Command = {
  help: 'render every email template with sample data to .html and .txt files (--out DIR, default DATA_DIR/mail-preview)',
  run,
}
