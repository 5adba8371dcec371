// Rules about the shape of the code that a reviewer would otherwise have to remember: no import cycles
// (type-only imports included), business-owned rows filtered only through the tenancy helpers, and
// short source files.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const files = sourceFiles(src)
const text = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]))
const name = (file: string) => relative(root, file)

/** Relative imports and re-exports of a file, type-only ones included, resolved to source files. */
function importsOf(file: string): string[] {
  const specifiers = [...(text.get(file) ?? '').matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)]
  return specifiers.map((match) => resolve(dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts')))
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indexes = new Map<string, number>()
  const lowlinks = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    indexes.set(node, index)
    lowlinks.set(node, index)
    index++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indexes.has(next)) {
        visit(next)
        lowlinks.set(node, Math.min(lowlinks.get(node) ?? 0, lowlinks.get(next) ?? 0))
      } else if (onStack.has(next))
        lowlinks.set(node, Math.min(lowlinks.get(node) ?? 0, indexes.get(next) ?? 0))
    }
    if (lowlinks.get(node) === indexes.get(node)) {
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()
        if (member) {
          onStack.delete(member)
          component.push(member)
        }
      } while (member && member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node))
        found.push(component.map(name).sort())
    }
  }
  for (const node of graph.keys()) if (!indexes.has(node)) visit(node)
  return found
}

describe('the source tree', () => {
  it('has no import cycles, not even through type-only imports', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => text.has(target))]))
    expect(cycles(graph)).toEqual([])
  })

  // The tenancy helpers (platform/tenancy.ts) write the business filter; anywhere else a hand-written
  // `business_id = ...` is a query that could forget it, or filter it wrongly. Tables, migrations and
  // the seed data (inserts, not filters) are exempt.
  it('filters business-owned rows on business_id only through the tenancy helpers', () => {
    const exempt = (file: string) =>
      file.endsWith('platform/tenancy.ts') || file.endsWith('/tables.ts') || file.includes('/modules/seed/')
    const handWritten = [
      /\beq\(\s*\w+\.businessId\b/,
      /\bbusiness_id\s*(=|in\b|<>)/i,
      /\.businessId\}\s*(=|in\b)/,
      /inArray\(\s*\w+\.businessId\b/,
    ]
    const offenders = files
      .filter((file) => !exempt(file))
      .flatMap((file) =>
        (text.get(file) ?? '')
          .split('\n')
          .map((line, at) => ({ line, at }))
          .filter(({ line }) => handWritten.some((pattern) => pattern.test(line)))
          .map(({ line, at }) => `${name(file)}:${at + 1}: ${line.trim()}`),
      )
    expect(offenders).toEqual([])
  })

  it('keeps every source file short (about 300 lines)', () => {
    const long = files
      .map((file) => ({ file: name(file), lines: (text.get(file) ?? '').split('\n').length }))
      .filter(({ lines }) => lines > 320)
      .map(({ file, lines }) => `${file}: ${lines} lines`)
    expect(long).toEqual([])
  })
})
