// The registry this project is built against serves only some platforms' builds of packages such as
// Biome and Rollup, so `npm install` leaves their other platforms' optional packages out of
// package-lock.json, and `npm ci` then refuses the lock file as out of sync. This adds those entries
// back, marked with their os/cpu/libc so that npm skips them on other machines without a download.
// Run it after `npm install` changes the lock file: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs'

const OSES = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'openharmony',
  'win32',
  'sunos',
  'aix',
  'netbsd',
]
const CPUS = ['arm64', 'x64', 'arm', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((part) => OSES.includes(part))
  const cpu = parts.find((part) => CPUS.includes(part)) ?? (parts.includes('arm') ? 'arm' : undefined)
  const libc = parts.some((part) => part.startsWith('musl')) ? 'musl' : os === 'linux' ? 'glibc' : undefined
  return { os, cpu, libc }
}

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
let added = 0
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/${name}` : `node_modules/${name}`
    if (lock.packages[base] || lock.packages[`node_modules/${name}`]) continue
    const version = spec.replace(/^[\^~=]/, '')
    const { os, cpu, libc } = platformOf(name)
    if (!os || !/^\d+\.\d+\.\d+/.test(version)) {
      throw new Error(`cannot place ${name}@${spec} (needed by ${location || 'the root'}); add it by hand`)
    }
    lock.packages[`node_modules/${name}`] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
      optional: true,
      os: [os],
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
)
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`package-lock.json: ${added} optional platform entries added`)
