// `cli mail-preview`: every template rendered from its sample, as .html and .txt, without a database.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/cli.js'
import { MAIL_TEMPLATES } from '../../../src/modules/mail/params.js'

describe('mail-preview', () => {
  let dir: string
  const dataDir = process.env.DATA_DIR

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-preview-'))
  })
  afterEach(() => {
    vi.restoreAllMocks()
    process.env.DATA_DIR = dataDir
    if (dataDir === undefined) delete process.env.DATA_DIR
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** Runs the command and answers the lines it printed. */
  async function run(args: string[]): Promise<string[]> {
    const printed: string[] = []
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line))
    await main(args)
    expect(process.exitCode).toBe(0)
    return printed
  }

  it('writes an .html and a .txt file per template into --out and prints their paths', async () => {
    const out = join(dir, 'out')
    const printed = await run(['mail-preview', '--out', out])
    const expected = MAIL_TEMPLATES.flatMap((template) => [`${template}.html`, `${template}.txt`])
    expect(printed).toEqual(expected.map((name) => join(out, name)))
    expect((await readdir(out)).toSorted()).toEqual(expected.toSorted())
    for (const template of MAIL_TEMPLATES) {
      expect(await readFile(join(out, `${template}.html`), 'utf8')).toMatch(/^<!doctype html>[\s\S]*Tessera/)
      expect(await readFile(join(out, `${template}.txt`), 'utf8')).toMatch(/^Subject: .+\n\n/)
    }
  })

  it('writes under DATA_DIR/mail-preview by default', async () => {
    process.env.DATA_DIR = join(dir, 'data')
    const printed = await run(['mail-preview'])
    expect(printed).toHaveLength(MAIL_TEMPLATES.length * 2)
    expect(await readdir(join(dir, 'data', 'mail-preview'))).toHaveLength(MAIL_TEMPLATES.length * 2)
  })

  it('refuses an unknown option with the usage', async () => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line))
    await main(['mail-preview', '--outdir', dir])
    expect(process.exitCode).toBe(2)
    expect(errors.join('\n')).toContain('usage: mail-preview [--out DIR]')
    process.exitCode = 0
  })
})
