// Compiles src/ to dist/, file by file, with esbuild: 0.2 s where tsc took 10 s, which keeps a fresh
// clone's first `npm start` well inside its 20 s. Types are checked by `npm run typecheck` (tsc), which
// CI runs. `node scripts/build.mjs` always rebuilds from scratch; `buildIfNeeded()` (used by
// scripts/run.mjs) rebuilds only when a source is newer than the last build. `build(outdir)` writes
// elsewhere (test/deploy lays out the image's files with it).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const stamp = join(dist, '.build-stamp')

function newestMtime(path) {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

function sourcesChangedSince(time) {
  const inputs = ['src', 'tsconfig.json', 'package.json'].map((p) => join(root, p))
  return inputs.some((input) => newestMtime(input) > time)
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

export async function build(outdir = dist) {
  const started = Date.now()
  process.stderr.write('building dist/ from src/ ... ')
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    process.stderr.write('\nesbuild is not installed: run `npm install` first.\n')
    process.exit(1)
  }
  try {
    await esbuild.build({
      entryPoints: sources(join(root, 'src')),
      outdir,
      outbase: join(root, 'src'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'error',
    })
  } catch {
    process.stderr.write('\nbuild failed\n')
    process.exit(1)
  }
  writeFileSync(join(outdir, '.build-stamp'), new Date().toISOString())
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

export async function buildIfNeeded() {
  if (existsSync(stamp) && !sourcesChangedSince(statSync(stamp).mtimeMs)) return
  await build()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(dist, { recursive: true, force: true })
  await build()
}
