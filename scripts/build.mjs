// Compiles src/ to dist/ with tsc. `node scripts/build.mjs` always rebuilds from scratch;
// `buildIfNeeded()` (used by scripts/run.mjs) rebuilds only when a source is newer than the last build.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stamp = join(root, 'dist', '.build-stamp')

function newestMtime(path) {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

function sourcesChangedSince(time) {
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => join(root, p))
  return inputs.some((input) => newestMtime(input) > time)
}

export function build() {
  const started = Date.now()
  process.stderr.write('building dist/ from src/ ... ')
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  if (!existsSync(tsc)) {
    process.stderr.write('\nTypeScript is not installed: run `npm install` first.\n')
    process.exit(1)
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    process.stderr.write('\nbuild failed\n')
    process.exit(result.status ?? 1)
  }
  writeFileSync(stamp, new Date().toISOString())
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

export function buildIfNeeded() {
  if (existsSync(stamp) && !sourcesChangedSince(statSync(stamp).mtimeMs)) return
  build()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  build()
}
