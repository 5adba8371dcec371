// The single compiled entry point: `node dist/main.js <server|worker|cli> [args]`.
const entries = {
  server: () => import('./server.js'),
  worker: () => import('./worker.js'),
  cli: () => import('./cli.js'),
} as const

const [name, ...args] = process.argv.slice(2)
const load = entries[name as keyof typeof entries]
if (!load) {
  console.error(`usage: node dist/main.js <${Object.keys(entries).join('|')}> [args]`)
  process.exit(2)
}
const entry = await load()
await entry.main(args)
