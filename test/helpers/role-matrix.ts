// The role/endpoint matrix machinery: the row type, how one cell is requested, and the Markdown table
// the README carries. The rows themselves are in test/role-matrix.ts; test/role-matrix.test.ts runs
// them and keeps the README's table equal to `renderRoleMatrix(rows)`.
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { TestUser } from './accounts.js'
import type { Tenants } from './tenants.js'

/** Who calls, in the order of the README's columns. Members are members of business A. */
export const CALLERS = [
  'anonymous',
  'outsider',
  'agent',
  'manager',
  'admin',
  'owner',
  'platform_admin',
  'removed_manager',
  'deactivated_admin',
  'demoted_admin',
  'invited',
] as const
export type Caller = (typeof CALLERS)[number]

export const CALLER_TITLES: Record<Caller, string> = {
  anonymous: 'anonymous',
  outsider: 'outsider',
  agent: 'agent',
  manager: 'manager',
  admin: 'admin',
  owner: 'owner',
  platform_admin: 'platform admin',
  removed_manager: 'removed manager',
  deactivated_admin: 'deactivated admin',
  demoted_admin: 'demoted admin',
  invited: 'invited',
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export type MatrixRow = {
  /** The endpoint as the README shows it: method and path, `{A}` for the caller's business, `{B}` another. */
  name: string
  /** What the name alone does not say (which target, which header). */
  note?: string
  method: Method
  /** The URL for this caller; may create what the call needs (a fresh member, a fresh business). */
  path: (t: Tenants, caller: Caller) => string | Promise<string>
  body?: (t: Tenants, caller: Caller) => object | Promise<object>
  headers?: (t: Tenants, caller: Caller) => Record<string, string>
  /** Runs after each call, with its response: undo what a success created. */
  after?: (t: Tenants, caller: Caller, response: LightMyRequestResponse) => Promise<unknown>
  /** The expected HTTP status for each caller (401 for anonymous). */
  expect: Record<Caller, number>
}

export function userOf(t: Tenants, caller: Caller): TestUser | null {
  switch (caller) {
    case 'anonymous':
      return null
    case 'outsider':
      return t.outsider
    case 'platform_admin':
      return t.platformAdmin
    case 'removed_manager':
      return t.removedManager
    case 'deactivated_admin':
      return t.deactivatedAdmin
    case 'demoted_admin':
      return t.demotedAdmin
    case 'invited':
      return t.invited
    default:
      return t.A[caller]
  }
}

/** Makes one cell's request and undoes what it and its row's preparation created. */
export async function callCell(t: Tenants, row: MatrixRow, caller: Caller): Promise<LightMyRequestResponse> {
  const user = userOf(t, caller)
  const options: InjectOptions = {
    method: row.method,
    url: await row.path(t, caller),
    headers: { ...user?.auth, ...row.headers?.(t, caller) },
  }
  if (row.body) options.payload = await row.body(t, caller)
  const response = await t.app.inject(options)
  await row.after?.(t, caller, response)
  await t.settle()
  return response
}

export const rowTitle = (row: MatrixRow) => `\`${row.name}\`${row.note ? ` ${row.note}` : ''}`

/** The matrix as a Markdown table, one line per row, the way the README carries it. */
export function renderRoleMatrix(rows: readonly MatrixRow[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`
  return [
    line(['endpoint', ...CALLERS.map((caller) => CALLER_TITLES[caller])]),
    line(['---', ...CALLERS.map(() => '---')]),
    ...rows.map((row) => line([rowTitle(row), ...CALLERS.map((caller) => row.expect[caller])])),
  ].join('\n')
}

export const MATRIX_START = '<!-- role-matrix:start -->'
export const MATRIX_END = '<!-- role-matrix:end -->'

/** The text between the README's markers, trimmed; undefined when the markers are missing. */
export function readmeMatrix(readme: string): string | undefined {
  const start = readme.indexOf(MATRIX_START)
  const end = readme.indexOf(MATRIX_END)
  if (start < 0 || end < start) return undefined
  return readme.slice(start + MATRIX_START.length, end).trim()
}

/** The README with `table` between the markers (which must be there already). */
export function withReadmeMatrix(readme: string, table: string): string {
  const start = readme.indexOf(MATRIX_START)
  const end = readme.indexOf(MATRIX_END)
  if (start < 0 || end < start) throw new Error(`README.md lacks ${MATRIX_START} … ${MATRIX_END}`)
  return `${readme.slice(0, start + MATRIX_START.length)}\n${table}\n${readme.slice(end)}`
}
