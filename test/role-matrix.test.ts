// Every cell of the role/endpoint matrix (test/role-matrix.ts), and the README's copy of it.
// After changing the rows, regenerate the README's table with
//   UPDATE_ROLE_MATRIX=1 npx vitest run test/role-matrix.test.ts
import { readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from './helpers/app.js'
import {
  CALLERS,
  type Caller,
  callCell,
  MATRIX_END,
  MATRIX_START,
  readmeMatrix,
  renderRoleMatrix,
  rowTitle,
  withReadmeMatrix,
} from './helpers/role-matrix.js'
import { makeTenants, type Tenants } from './helpers/tenants.js'
import { ROLE_MATRIX } from './role-matrix.js'

const ctx = useTestApp()
let t: Tenants

beforeAll(async () => {
  t = await makeTenants(ctx.app)
})

describe('role/endpoint matrix', () => {
  it('has one row per endpoint and target, each naming its method', () => {
    const titles = ROLE_MATRIX.map(rowTitle)
    expect(new Set(titles).size).toBe(titles.length)
    for (const row of ROLE_MATRIX) {
      expect(row.name.startsWith(`${row.method} /api/`), row.name).toBe(true)
      expect(Object.keys(row.expect).sort()).toEqual([...CALLERS].sort())
    }
  })

  for (const row of ROLE_MATRIX) {
    it(rowTitle(row), async () => {
      const observed = {} as Record<Caller, number>
      const bodies: string[] = []
      for (const caller of CALLERS) {
        const response = await callCell(t, row, caller)
        observed[caller] = response.statusCode
        if (response.statusCode !== row.expect[caller])
          bodies.push(`${caller}: ${response.statusCode} ${response.body.slice(0, 300)}`)
      }
      expect(observed, bodies.join('\n')).toEqual(row.expect)
    })
  }
})

describe('README', () => {
  const url = new URL('../README.md', import.meta.url)

  it(`carries the matrix between ${MATRIX_START} and ${MATRIX_END}`, () => {
    const table = renderRoleMatrix(ROLE_MATRIX)
    let readme = readFileSync(url, 'utf8')
    if (process.env.UPDATE_ROLE_MATRIX) {
      readme = withReadmeMatrix(readme, table)
      writeFileSync(url, readme)
    }
    expect(
      readmeMatrix(readme),
      'README.md differs from test/role-matrix.ts: UPDATE_ROLE_MATRIX=1 npx vitest run test/role-matrix.test.ts',
    ).toBe(table)
  })
})
