// The README and .env.example describe the code; these checks keep them from drifting apart.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { settings } from '../src/platform/config.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const envExample = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>
}

describe('project documentation', () => {
  it('.env.example lists every setting with its default', () => {
    for (const [name, setting] of Object.entries(settings)) {
      expect(envExample, name).toContain(`\n${name}=${setting.default}\n`)
    }
  })

  it('the README documents every setting', () => {
    for (const name of Object.keys(settings)) expect(readme, name).toContain(`| \`${name}\` |`)
  })

  it('the README documents every npm script', () => {
    for (const name of Object.keys(scripts)) {
      const command = ['start', 'test'].includes(name) ? `npm ${name}` : `npm run ${name}`
      expect(readme, name).toContain(`\`${command}`)
    }
  })

  it('every path of the README Layout exists, and every feature module is listed', () => {
    const listed = layoutPaths(readme)
    const missing = listed.filter((path) => !existsSync(new URL(`../${path}`, import.meta.url)))
    expect(missing).toEqual([])
    const modules = readdirSync(new URL('../src/modules/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `src/modules/${entry.name}/`)
    expect(modules.filter((path) => !listed.includes(path))).toEqual([])
  })
})

/**
 * The paths the README's Layout block names: each line is `name  description`, indented two spaces
 * per level under its folder (a name ending in `/`); continuation lines of a description are deeper.
 */
function layoutPaths(text: string): string[] {
  const block = /## Layout\n\n```\n([\s\S]*?)```/.exec(text)?.[1] ?? ''
  const folders: string[] = []
  const paths: string[] = []
  for (const line of block.split('\n')) {
    const match = /^( *)(\S+)/.exec(line)
    if (!(match?.[1] !== undefined && match[2])) continue
    const level = match[1].length / 2
    if (!Number.isInteger(level) || level > folders.length) continue
    folders.length = level
    const path = folders.join('') + match[2]
    paths.push(path)
    if (match[2].endsWith('/')) folders.push(match[2])
  }
  return paths
}
