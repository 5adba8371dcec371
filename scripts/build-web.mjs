// Builds the web apps (web/ -> web/dist, with Vite) when they are missing or older than their
// sources, before `npm start` serves them; `npm run web:build` always rebuilds. Vite runs in a child
// process so the server does not carry the bundler's memory. Without Vite (a production install
// with --omit=dev) an existing build is served as it is.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const web = join(root, 'web')
const stamp = join(web, 'dist', '.build-stamp')
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

function isStale() {
  if (!existsSync(stamp)) return true
  const inputs = ['src', 'public', 'index.html', 'admin', 'vite.config.ts'].map((path) => join(web, path))
  // The admin console reads the server's powers table.
  inputs.push(join(root, 'package-lock.json'), join(root, 'src', 'modules', 'businesses', 'powers.ts'))
  const built = statSync(stamp).mtimeMs
  return inputs.some((input) => newestMtime(input) > built)
}

export function buildWebIfNeeded({ force = false } = {}) {
  if (!existsSync(web) || !(force || isStale())) return
  if (!existsSync(vite)) {
    if (!existsSync(stamp))
      process.stderr.write(
        'web/dist is missing and Vite is not installed: run `npm install` to build the web app.\n',
      )
    return
  }
  const started = Date.now()
  process.stderr.write('building the web app (web/ -> web/dist) ... ')
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'error'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  if (result.status !== 0) {
    process.stderr.write('\nthe web app failed to build (see above); the API starts without it\n')
    return
  }
  writeFileSync(stamp, new Date().toISOString())
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  buildWebIfNeeded({ force: process.argv.includes('--force') })
