import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { apiTypesFile, generateApiTypes } from '../scripts/web-types-lib.js'

it('the web apps type API bodies from the current OpenAPI document (npm run web:types)', async () => {
  const committed = readFileSync(apiTypesFile, 'utf8')
  expect(
    committed === (await generateApiTypes()),
    'web/src/api/schema.d.ts is stale: run npm run web:types',
  ).toBe(true)
})
