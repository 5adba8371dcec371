// The README and .env.example describe the code; these checks keep them from drifting apart.
import { readFileSync } from 'node:fs'
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
})
