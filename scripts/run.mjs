// `npm start`, `npm run migrate`, ...: build dist/ if the sources changed, then run compiled JavaScript.
import { buildIfNeeded } from './build.mjs'

await buildIfNeeded()
await import('../dist/main.js')
