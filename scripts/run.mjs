// `npm start`, `npm run migrate`, ...: build dist/ if the sources changed, then run compiled JavaScript.
// The server also builds the web apps when they are missing or stale.
import { buildIfNeeded } from './build.mjs'
import { buildWebIfNeeded } from './build-web.mjs'

await buildIfNeeded()
if (process.argv[2] === 'server') buildWebIfNeeded()
await import('../dist/main.js')
