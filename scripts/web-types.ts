// npm run web:types: writes web/src/api/schema.d.ts, the web apps' types for API bodies, generated
// from the OpenAPI document the server serves at /api/schema/ (so the browser code never retypes a
// shape by hand). test/web-types.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs'
import { apiTypesFile, generateApiTypes } from './web-types-lib.js'

writeFileSync(apiTypesFile, await generateApiTypes())
process.stderr.write(`wrote ${apiTypesFile}\n`)
