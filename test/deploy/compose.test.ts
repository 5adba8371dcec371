// No Docker engine runs where this project is built and tested, so the container files are checked
// statically: they parse, they reference files that exist, what they pass to the app is a valid
// configuration of the code in this repository, and the docs describe them. The one thing run is the
// management commands the docs show, in a folder laid out as the Dockerfile lays out the image.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, delimiter, dirname, join, normalize, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { build } from '../../scripts/build.mjs'
import { MAX_BODY_BYTES, WEB_BUILD_DIR } from '../../src/app.js'
import { loadConfig, settings } from '../../src/platform/config.js'
import { MIGRATIONS_FOLDER } from '../../src/platform/db/migrate.js'
import { hostAllowed } from '../../src/platform/http/allowed-hosts.js'
import { STRONG_PASSWORD } from '../helpers/accounts.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const readme = read('README.md')
const envExample = read('.env.example')

// ---- docker-compose.yml ----

type EnvironmentValue = string | number | boolean | null
type Service = {
  image?: string
  build?: string | { context?: string; dockerfile?: string }
  command?: string | string[]
  environment?: Record<string, EnvironmentValue> | string[]
  env_file?: string | (string | { path: string; required?: boolean })[]
  depends_on?: string[] | Record<string, { condition?: string }>
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[]
  ports?: (
    | string
    | number
    | { target: number | string; published?: number | string; host_ip?: string; protocol?: string }
  )[]
  healthcheck?: {
    test?: string | string[]
    disable?: boolean
    interval?: string
    timeout?: string
    start_period?: string
    start_interval?: string
    retries?: number
  }
  restart?: string
  profiles?: string[]
}
type Compose = { name?: string; services: Record<string, Service>; volumes?: Record<string, unknown> }

/** The keys of a service in the Compose specification (compose-spec/schema/compose-spec.json). */
const SERVICE_KEYS =
  `annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs
  container_name cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset
  credential_spec depends_on deploy develop device_cgroup_rules devices dns dns_opt dns_search domainname
  entrypoint env_file environment expose extends external_links extra_hosts gpus group_add healthcheck hostname
  image init ipc isolation label_file labels links logging mac_address mem_limit mem_reservation mem_swappiness
  memswap_limit models network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports
  post_start pre_stop privileged profiles provider pull_policy pull_refresh_after read_only restart runtime scale
  secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits
  use_api_socket user userns_mode uts volumes volumes_from working_dir`.split(/\s+/)

const composeDocument = parseDocument(read('docker-compose.yml'))
const compose = composeDocument.toJS() as Compose
const services = compose.services ?? {}
const serviceNames = Object.keys(services)

function environmentOf(service: Service): Record<string, string | undefined> {
  const given = service.environment ?? {}
  if (Array.isArray(given)) {
    return Object.fromEntries(
      given.map((entry) => {
        const at = entry.indexOf('=')
        return at === -1 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)]
      }),
    )
  }
  return Object.fromEntries(
    Object.entries(given).map(([name, value]) => [name, value === null ? undefined : String(value)]),
  )
}

function dependenciesOf(service: Service): string[] {
  const given = service.depends_on ?? []
  return Array.isArray(given) ? given : Object.keys(given)
}

type Mount = { kind: 'volume' | 'bind'; source: string; target: string; modes: string[] }

function mountsOf(service: Service): Mount[] {
  return (service.volumes ?? []).flatMap((entry): Mount[] => {
    if (typeof entry === 'string') {
      const [source = '', target = '', mode = ''] = entry.split(':')
      if (!target) return [] // an anonymous volume: only a target
      const modes = mode.split(',').filter(Boolean)
      return [{ kind: /^[./~]/.test(source) ? 'bind' : 'volume', source, target, modes }]
    }
    if (!entry.source) return []
    const kind = entry.type === 'bind' ? 'bind' : 'volume'
    return [{ kind, source: entry.source, target: entry.target ?? '', modes: entry.read_only ? ['ro'] : [] }]
  })
}

/** Every string in the parsed file (values and keys), where compose interpolates `${...}`. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsIn(inner)])
  }
  return []
}

type Interpolation = { raw: string; name: string; operator: string; operand: string }

const DOLLAR = /\$(?:(\$)|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/

/** Compose's `${NAME}`, `${NAME:-default}`, `${NAME:?error}`... in `text`; `$$` is a literal dollar. */
function interpolationsIn(text: string): (Interpolation | { raw: string; malformed: true })[] {
  const found: (Interpolation | { raw: string; malformed: true })[] = []
  for (const match of text.matchAll(DOLLAR)) {
    const [raw, escaped, braced, bare] = match
    if (escaped) continue
    if (bare) {
      found.push({ raw, name: bare, operator: '', operand: '' })
      continue
    }
    const parts = BRACED.exec(braced ?? '')
    if (!parts) found.push({ raw, malformed: true })
    else found.push({ raw, name: parts[1] ?? '', operator: parts[2] ?? '', operand: parts[3] ?? '' })
  }
  return found
}

/** The forms this file may use: `${NAME}`, `${NAME:-default}` and `${NAME:?message}`. */
const ALLOWED_OPERATORS = ['', ':-', ':?']

/**
 * Resolves interpolations of the allowed forms the way compose would with every variable that has no
 * default set to `setValue`, and every one that has a default unset.
 */
function interpolate(text: string, setValue: string): string {
  return text.replace(DOLLAR, (_raw, escaped: string | undefined, braced: string | undefined) => {
    if (escaped) return '$'
    const parts = braced === undefined ? null : BRACED.exec(braced)
    return parts?.[2] === ':-' ? (parts[3] ?? '') : setValue
  })
}

/** Every interpolated variable, with each place it is interpolated. */
const composeVariables = new Map<string, Interpolation[]>()
for (const found of stringsIn(compose).flatMap(interpolationsIn)) {
  if ('malformed' in found) continue
  composeVariables.set(found.name, [...(composeVariables.get(found.name) ?? []), found])
}

/** What compose makes of a variable that is unset or empty, as the README's table says it. */
function whenUnset({ operator, operand }: Interpolation): string {
  if (operator === ':?') return 'required'
  return operator === ':-' && operand ? `\`${operand}\`` : 'empty'
}

// ---- ports ----

type PublishedPort = { service: string; host: string; hostIp: string; published: string; target: string }

// [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], each port a number or a range.
const SHORT_PORT =
  /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(?:tcp|udp|sctp))?$/

/** The ports a service publishes; `host` is how compose spells the host side, before interpolation. */
function portsOf(service: string, given: Service): PublishedPort[] {
  return (given.ports ?? []).map((entry) => {
    if (typeof entry === 'object') {
      const hostIp = interpolate(entry.host_ip ?? '', '')
      const published = interpolate(String(entry.published ?? ''), '')
      const host = [entry.host_ip, entry.published].filter((part) => part !== undefined).join(':')
      return { service, host, hostIp, published, target: interpolate(String(entry.target), '') }
    }
    const text = String(entry)
    const [, hostIp = '', published = '', target = 'invalid'] = SHORT_PORT.exec(interpolate(text, '')) ?? []
    return { service, host: text.replace(/:?[^:]*$/, ''), hostIp, published, target }
  })
}

const publishedPorts = Object.entries(services).flatMap(([name, service]) => portsOf(name, service))

function validPorts(text: string): boolean {
  const bounds = text.split('-').map(Number)
  return (
    /^\d+(-\d+)?$/.test(text) &&
    bounds.every((port) => port >= 1 && port <= 65535) &&
    (bounds[0] ?? 0) <= (bounds.at(-1) ?? 0)
  )
}

// ---- README ----

/** The README from `heading` up to the next heading, of any level. */
function readmeSection(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`)
  expect(start, `README has no "${heading}"`).toBeGreaterThan(-1)
  const rest = readme.slice(start + heading.length + 2)
  const end = rest.search(/\n#{1,6} /)
  return end === -1 ? rest : rest.slice(0, end)
}

// ---- Dockerfile ----

type Instruction = { keyword: string; args: string; stage: number }

function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = []
  let pending = ''
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue // comments and parser directives, also inside continuations
    if (/\\\s*$/.test(line)) {
      pending += `${line.replace(/\\\s*$/, '')} `
      continue
    }
    logical.push(pending + line)
    pending = ''
  }
  if (pending) logical.push(pending)
  let stage = -1
  return logical
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, keyword = '', args = ''] = /^(\S+)\s*([\s\S]*)$/.exec(line) ?? []
      if (keyword.toUpperCase() === 'FROM') stage++
      return { keyword: keyword.toUpperCase(), args: args.trim(), stage }
    })
}

/** The number of the stage `FROM ... AS name` starts. */
function stageNamed(name: string): number | undefined {
  return dockerfile.find(
    (instruction) =>
      instruction.keyword === 'FROM' && new RegExp(`\\sAS\\s+${name}$`, 'i').test(instruction.args),
  )?.stage
}

type Copy = { from: string | null; sources: string[]; destination: string; stage: number }

function copiesIn(instructions: Instruction[]): Copy[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map(({ args, stage }) => {
      const tokens = args.split(/\s+/)
      const flags = tokens.filter((token) => token.startsWith('--'))
      const rest = args.replace(/^(?:--\S+\s+)*/, '')
      const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/)
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length) ?? null
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '', stage }
    })
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*')
  return new RegExp(`^${body}$`)
}

/** `.dockerignore` semantics, simplified: the last matching pattern wins; a match excludes subpaths. */
function dockerIgnored(path: string, patterns: string[]): boolean {
  const clean = normalize(path).replace(/^\.\//, '').replace(/\/$/, '')
  const prefixes = clean.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'))
  let ignored = false
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    const pattern = normalize(negated ? raw.slice(1) : raw).replace(/^\//, '')
    const regex = globToRegExp(pattern)
    if (prefixes.some((prefix) => regex.test(prefix))) ignored = !negated
  }
  return ignored
}

function existsInContext(context: string, source: string): boolean {
  if (!/[*?[]/.test(source)) return existsSync(join(context, source))
  const directory = join(context, dirname(source))
  const regex = globToRegExp(source.split('/').at(-1) ?? '')
  return existsSync(directory) && readdirSync(directory).some((name) => regex.test(name))
}

const dockerfile = parseDockerfile(read('Dockerfile'))
const finalStage = Math.max(...dockerfile.map((instruction) => instruction.stage))
const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))

const finalWorkdir = dockerfile
  .filter((instruction) => instruction.keyword === 'WORKDIR' && instruction.stage === finalStage)
  .at(-1)?.args

/** The ENV of the final stage: what every container of the image starts with. */
function imageEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const { keyword, args, stage } of dockerfile) {
    if (keyword !== 'ENV' || stage !== finalStage) continue
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env[match[1] ?? ''] = (match[2] ?? '').replace(/^"(.*)"$/, '$1')
    }
  }
  return env
}

/** The environment a container of `service` starts with, every required variable set. */
function containerEnvironment(service: Service): Record<string, string | undefined> {
  const given = Object.entries(environmentOf(service)).map(([key, value]) => [
    key,
    value === undefined ? undefined : interpolate(value, 'a-placeholder-secret-that-is-long-enough-0123'),
  ])
  return { ...imageEnvironment(), ...Object.fromEntries(given) }
}

// ---- deploy/nginx.conf ----

const nginxConf = read('deploy/nginx.conf').replace(/#.*$/gm, '')

function nginxSizeInBytes(value: string): number {
  const [, digits = 'NaN', unit = ''] = /^(\d+)([kKmMgG]?)$/.exec(value) ?? []
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit.toLowerCase()] ?? Number.NaN
  return Number(digits) * scale
}

// ---- the checks ----

describe('docker-compose.yml', () => {
  it('parses as YAML without errors or warnings', () => {
    expect(composeDocument.errors.map(String)).toEqual([])
    expect(composeDocument.warnings.map(String)).toEqual([])
    expect(typeof compose.services).toBe('object')
  })

  it('defines the web, worker, db, redis, nginx and pgadmin services', () => {
    expect(serviceNames).toEqual(expect.arrayContaining(['web', 'worker', 'db', 'redis', 'nginx', 'pgadmin']))
  })

  it('keeps pgadmin behind the tools profile and every other service in the default stack', () => {
    expect(services.pgadmin?.profiles).toContain('tools')
    for (const name of serviceNames.filter((name) => name !== 'pgadmin')) {
      expect(services[name]?.profiles ?? [], name).toEqual([])
    }
  })

  it('gives every service a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test
      expect(service.healthcheck?.disable, name).not.toBe(true)
      expect(test, `${name} has no healthcheck.test`).toBeDefined()
      const argv = typeof test === 'string' ? [test] : (test ?? [])
      expect(argv.length, name).toBeGreaterThan(0)
      expect(argv[0], name).not.toBe('NONE')
      // An unquoted `: ` inside a command turns the item into a mapping; compose wants strings.
      for (const item of argv) expect(typeof item, `${name}: ${JSON.stringify(item)}`).toBe('string')
      if (argv[0] === 'CMD' || argv[0] === 'CMD-SHELL') expect(argv.length, name).toBeGreaterThan(1)
    }
  })

  it('spells every command as a string or a list of strings', () => {
    for (const [name, service] of Object.entries(services)) {
      const command = service.command
      if (command === undefined) continue
      for (const item of Array.isArray(command) ? command : [command]) {
        expect(typeof item, `${name}: ${JSON.stringify(item)}`).toBe('string')
      }
    }
  })

  it('uses only keys the Compose specification defines, and names it accepts', () => {
    const topLevel = [
      'version',
      'name',
      'include',
      'services',
      'models',
      'networks',
      'volumes',
      'secrets',
      'configs',
    ]
    const unknown = (keys: string[], known: string[]) =>
      keys.filter((key) => !key.startsWith('x-') && !known.includes(key))
    expect(unknown(Object.keys(compose), topLevel)).toEqual([])
    expect(compose.name ?? 'tessera').toMatch(/^[a-z0-9][a-z0-9_-]*$/)
    for (const [name, service] of Object.entries(services)) {
      expect(name).toMatch(/^[a-zA-Z0-9._-]+$/)
      expect(unknown(Object.keys(service), SERVICE_KEYS), name).toEqual([])
    }
    for (const name of Object.keys(compose.volumes ?? {})) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/)
  })

  it('names profiles as compose accepts them', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const profile of service.profiles ?? []) {
        expect(profile, name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/)
      }
    }
  })

  it('spells restart policies and health check timings as compose reads them', () => {
    const duration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/
    for (const [name, { restart, healthcheck }] of Object.entries(services)) {
      if (restart !== undefined) {
        expect(restart, name).toMatch(/^(no|always|unless-stopped|on-failure(:\d+)?)$/)
      }
      for (const key of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
        const value = healthcheck?.[key]
        if (value !== undefined) expect(value, `${name}: ${key}`).toMatch(duration)
      }
      const retries = healthcheck?.retries
      if (retries !== undefined)
        expect(Number.isInteger(retries) && retries > 0, `${name}: retries`).toBe(true)
    }
  })

  it('mounts at absolute paths, with modes compose knows', () => {
    const modes = ['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated']
    for (const [name, service] of Object.entries(services)) {
      for (const mount of mountsOf(service)) {
        expect(mount.target, `${name}: ${mount.source}`).toMatch(/^\//)
        for (const mode of mount.modes) expect(modes, `${name}: ${mount.source}`).toContain(mode)
      }
    }
  })

  it('declares every named volume the services use, and uses every declared one', () => {
    const declared = Object.keys(compose.volumes ?? {})
    const used = new Set(
      Object.values(services).flatMap((service) =>
        mountsOf(service)
          .filter((mount) => mount.kind === 'volume')
          .map((mount) => mount.source),
      ),
    )
    for (const volume of used) expect(declared, `volume ${volume}`).toContain(volume)
    for (const volume of declared) expect([...used], `declared volume ${volume}`).toContain(volume)
  })

  it('mounts only files that exist in the repository', () => {
    const binds = Object.values(services).flatMap((service) =>
      mountsOf(service).filter((mount) => mount.kind === 'bind'),
    )
    expect(binds.map((mount) => mount.source)).toContain('./deploy/nginx.conf')
    for (const { source } of binds) expect(existsSync(join(root, source)), source).toBe(true)
  })

  it('depends only on defined services, never on one that a profile may leave out', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const target of dependenciesOf(service)) {
        expect(serviceNames, `${name} depends on ${target}`).toContain(target)
        if (!service.profiles?.length) {
          expect(services[target]?.profiles ?? [], `${name} -> ${target}`).toEqual([])
        }
      }
    }
  })

  it('waits for conditions compose knows, for health only where there is a health check, without a cycle', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully']
    for (const [name, service] of Object.entries(services)) {
      const given = service.depends_on
      if (given === undefined || Array.isArray(given)) continue
      for (const [target, { condition }] of Object.entries(given)) {
        expect(conditions, `${name} -> ${target}`).toContain(condition)
        if (condition === 'service_healthy') {
          expect(services[target]?.healthcheck?.test, `${name} -> ${target}`).toBeDefined()
        }
      }
    }
    const settled = new Set<string>()
    const visit = (name: string, path: string[]) => {
      expect(path, `dependency cycle: ${[...path, name].join(' -> ')}`).not.toContain(name)
      if (settled.has(name)) return
      for (const target of dependenciesOf(services[name] ?? {})) visit(target, [...path, name])
      settled.add(name)
    }
    for (const name of serviceNames) visit(name, [])
  })

  it('builds from contexts that contain their Dockerfile', () => {
    const built = Object.entries(services).filter(([, service]) => service.build !== undefined)
    expect(built.map(([name]) => name)).toContain('web')
    for (const [name, { build }] of built) {
      const context = typeof build === 'string' ? build : (build?.context ?? '.')
      const file = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile')
      expect(existsSync(join(root, context, file)), `${name}: ${join(context, file)}`).toBe(true)
    }
  })

  it('runs the worker from the image web builds, with the worker entry point', () => {
    const { web, worker } = services
    expect(web?.image).toBeDefined()
    expect(worker?.build ?? worker?.image).toBeDefined()
    if (!worker?.build) expect(worker?.image).toBe(web?.image)
    expect(worker?.command).toEqual(['node', 'dist/main.js', 'worker'])
  })

  it('passes web and worker only settings that src/platform/config.ts accepts', () => {
    for (const name of ['web', 'worker']) {
      const env = Object.keys(environmentOf(services[name] ?? {}))
      expect(env.length, name).toBeGreaterThan(0)
      for (const variable of env) expect(Object.keys(settings), `${name}: ${variable}`).toContain(variable)
    }
  })

  it('gives web and worker a configuration the app accepts, for PostgreSQL, Redis and a proxy', () => {
    for (const name of ['web', 'worker']) {
      const config = loadConfig(containerEnvironment(services[name] ?? {}))
      expect(config.isProduction, name).toBe(true)
      expect(config.host, name).toBe('0.0.0.0')
      expect(config.databaseUrl, name).toMatch(/@db:5432\//)
      expect(config.redisUrl, name).toMatch(/@redis:6379/)
      expect(config.trustProxy, name).toBe(true)
      // The health checks call 127.0.0.1 inside the container; people reach nginx as localhost.
      for (const host of ['127.0.0.1', 'localhost']) {
        expect(hostAllowed(`${host}:${config.port}`, config.allowedHosts), `${name}: ${host}`).toBe(true)
      }
    }
  })

  it('interpolates in the allowed forms (plain, :-default, :?message), each variable the same way everywhere', () => {
    const texts = stringsIn(compose)
    const refused = texts
      .flatMap(interpolationsIn)
      .filter(
        (found) =>
          'malformed' in found ||
          !found.raw.startsWith('${') ||
          !ALLOWED_OPERATORS.includes(found.operator) ||
          found.operand.includes('$'),
      )
    expect(refused.map((found) => found.raw)).toEqual([])
    // Any other `$` (`$$` is a literal one) is an error to compose.
    expect(texts.filter((text) => text.replace(DOLLAR, '').includes('$'))).toEqual([])
    for (const [name, uses] of composeVariables) {
      expect(new Set(uses.map(whenUnset)).size, `${name} is interpolated in different ways`).toBe(1)
    }
  })

  it('documents every variable it reads in the README, with what an unset or empty one becomes', () => {
    const table = readmeSection('#### Compose variables')
    const rows = Object.fromEntries(
      [...table.matchAll(/^\| `([A-Za-z_][A-Za-z0-9_]*)` \| ([^|]*?) \|/gm)].map((row) => [row[1], row[2]]),
    )
    const expected = Object.fromEntries(
      [...composeVariables].map(([name, uses]) => [name, whenUnset(uses[0] as Interpolation)]),
    )
    expect(composeVariables.size).toBeGreaterThan(0)
    expect(rows).toEqual(expected)
  })

  it('lists every variable it reads in .env.example; one the app does not read, with its default', () => {
    for (const [name, uses] of composeVariables) {
      if (name in settings) {
        // test/project-docs.test.ts holds the line to the setting's own default.
        expect(envExample, name).toMatch(new RegExp(`^${name}=`, 'm'))
      } else {
        const [use] = uses
        expect(envExample, name).toContain(`\n${name}=${use?.operator === ':-' ? use.operand : ''}\n`)
      }
    }
  })

  it('publishes valid ports, each host port once', () => {
    expect(publishedPorts.length).toBeGreaterThan(0)
    for (const { service, host, hostIp, published, target } of publishedPorts) {
      const label = `${service}: ${host}`
      expect(validPorts(target), `${label} -> ${target}`).toBe(true)
      // An explicit host port: a random one could not be documented.
      expect(validPorts(published), label).toBe(true)
      if (hostIp) expect(isIP(hostIp.replace(/^\[|\]$/g, '')), label).toBeGreaterThan(0)
    }
    const hostPorts = publishedPorts.map((port) => port.published)
    expect(new Set(hostPorts).size, hostPorts.join(', ')).toBe(hostPorts.length)
  })

  it('documents every published port in the README: service, host port and container port', () => {
    const rows = readmeSection('### Docker')
      .split('\n')
      .filter((line) => /^\| `[a-z][\w.-]*`/.test(line))
    for (const { service, host, target } of publishedPorts) {
      const row = rows.find((line) => line.startsWith(`| \`${service}\``))
      expect(row, `README, Docker: no row for ${service}`).toBeDefined()
      expect(row, service).toContain(`| \`${host}\``)
      expect(row, service).toContain(`| \`${target}\` |`)
    }
    expect(rows.length, 'rows of services that publish nothing').toBe(publishedPorts.length)
  })

  it('reads only env files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const files = service.env_file === undefined ? [] : [service.env_file].flat()
      for (const entry of files) {
        const { path, required = true } = typeof entry === 'string' ? { path: entry } : entry
        if (required) expect(existsSync(join(root, path)), `${name}: env_file ${path}`).toBe(true)
      }
    }
  })
})

describe('Dockerfile', () => {
  it('is multi-stage', () => {
    expect(dockerfile.filter((instruction) => instruction.keyword === 'FROM').length).toBeGreaterThan(1)
  })

  it('runs as a non-root user', () => {
    const users = dockerfile.filter((instruction) => instruction.keyword === 'USER')
    const last = users.at(-1)
    expect(last?.stage).toBe(finalStage)
    expect(last?.args.split(':')[0]).not.toMatch(/^(root|0)$/)
  })

  it('has a health check that calls the app on its port', () => {
    const healthcheck = dockerfile.find((instruction) => instruction.keyword === 'HEALTHCHECK')
    expect(healthcheck?.args).toMatch(/\bCMD\b/)
    expect(healthcheck?.args).toContain('/health/')
    const expose = dockerfile.find((instruction) => instruction.keyword === 'EXPOSE')
    expect(expose?.args.split(/\s+/)).toContain(imageEnvironment().PORT)
  })

  it('COPYs from the build context only paths that exist and that .dockerignore lets through', () => {
    const fromContext = copiesIn(dockerfile).filter((copy) => copy.from === null)
    expect(fromContext.length).toBeGreaterThan(0)
    for (const { sources } of fromContext) {
      for (const source of sources) {
        expect(existsInContext(root, source), `${source} exists`).toBe(true)
        expect(dockerIgnored(source, dockerignore), `${source} is not in .dockerignore`).toBe(false)
      }
    }
  })

  it('keeps secrets and local state out of the build context', () => {
    for (const path of ['.env', 'node_modules', 'dist', 'data', '.git']) {
      expect(dockerIgnored(path, dockerignore), path).toBe(true)
    }
  })

  it('ships what the server reads at run time: dist, migrations, package.json, node_modules', () => {
    const shipped = copiesIn(dockerfile)
      .filter((copy) => copy.stage === finalStage)
      .flatMap((copy) => copy.sources.map((source) => source.replace(/\/$/, '').split('/').at(-1)))
    expect(shipped).toEqual(expect.arrayContaining(['dist', 'drizzle', 'package.json', 'node_modules']))
    // The web apps are built in the build stage and served from web/dist beside dist/.
    const webCopy = copiesIn(dockerfile).find(
      (copy) => copy.stage === finalStage && copy.sources.includes('/app/web/dist'),
    )
    expect(webCopy?.destination).toBe('./web/dist')
    expect(WEB_BUILD_DIR).toBe(join(root, 'web', 'dist'))
    // The compiled migrator looks for drizzle/ beside dist/, as the source one does beside src/.
    expect(MIGRATIONS_FOLDER).toBe(join(root, 'drizzle'))
  })

  it('starts the compiled server by default', () => {
    const cmd = dockerfile.filter((instruction) => instruction.keyword === 'CMD').at(-1)
    expect(JSON.parse(cmd?.args ?? 'null')).toEqual(['node', 'dist/main.js', 'server'])
    expect(statSync(join(root, 'src/main.ts')).isFile()).toBe(true)
  })
})

describe('deploy/nginx.conf', () => {
  it('limits request bodies to what the app accepts (MAX_BODY_BYTES)', () => {
    const limits = [...nginxConf.matchAll(/\bclient_max_body_size\s+(\S+?)\s*;/g)].map((m) => m[1] ?? '')
    expect(limits).toEqual(['1m'])
    expect(nginxSizeInBytes(limits[0] ?? '')).toBe(MAX_BODY_BYTES)
  })

  it('proxies to the web service on the port the image listens on', () => {
    const upstreams = [...nginxConf.matchAll(/\bserver\s+([\w.-]+):(\d+)\b/g)]
    expect(upstreams.length).toBeGreaterThan(0)
    for (const [, host, port] of upstreams) {
      expect(serviceNames).toContain(host)
      expect(port).toBe(imageEnvironment().PORT)
    }
  })

  it('sets the forwarding headers the app trusts with TRUST_PROXY', () => {
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Request-ID']) {
      expect(nginxConf).toMatch(new RegExp(`proxy_set_header\\s+${header}\\s`, 'i'))
    }
  })
})

describe('deploy/initdb', () => {
  const folder = join(root, 'deploy', 'initdb')

  it("is mounted read-only as the db service's /docker-entrypoint-initdb.d, and explained", () => {
    const mount = mountsOf(services.db ?? {}).find((each) => each.target === '/docker-entrypoint-initdb.d')
    expect(mount).toMatchObject({ kind: 'bind', source: './deploy/initdb' })
    expect(mount?.modes).toContain('ro')
    expect(statSync(folder).isDirectory()).toBe(true)
    expect(existsSync(join(folder, 'README.md'))).toBe(true)
  })

  it('ships nothing the postgres image would run, only examples it ignores', () => {
    const files = readdirSync(folder)
    expect(files.filter((file) => /\.(sh|sql|sql\.gz|sql\.xz|sql\.zst)$/.test(file))).toEqual([])
    expect(files.filter((file) => file.endsWith('.sql.example')).length).toBeGreaterThan(0)
  })

  it('keeps web waiting until the scripts ran: db is healthy only once PostgreSQL listens on TCP', () => {
    // While the first start runs the folder, the image's temporary server listens on its socket only.
    const test = [services.db?.healthcheck?.test ?? []].flat().join(' ')
    expect(test).toMatch(/\bpg_isready\b.*\s-h\s+127\.0\.0\.1\b/)
    expect(services.web?.depends_on).toMatchObject({ db: { condition: 'service_healthy' } })
  })
})

// ---- the management commands the docs show for the containers ----

type ContainerCommand = { where: string; line: string; options: string[]; service: string; command: string }

// `docker compose exec|run [flags] SERVICE COMMAND`, up to the end of the line or of the code span.
const COMPOSE_COMMAND = /docker compose (exec|run)((?:\s+-[-\w]+)*)\s+([\w.-]+)\s+([^`\n]+)/g

const containerCommands: ContainerCommand[] = ['README.md', 'docker-compose.yml', 'Dockerfile'].flatMap(
  (where) =>
    [...read(where).matchAll(COMPOSE_COMMAND)].map(
      ([line, verb = '', flags = '', service = '', command = '']) => ({
        where,
        line,
        options: [verb, ...flags.split(/\s+/).filter(Boolean)],
        service,
        command: command.trim(),
      }),
    ),
)

/**
 * Where the final stage's `COPY --from=<stage> SOURCE` sources come from here; null: none of the
 * management commands reads it.
 */
const stageOutputs: Record<string, ((target: string) => Promise<void>) | null> = {
  // The build stage's `node scripts/build.mjs`, i.e. `npm run build`.
  '/app/dist': (target) => build(target),
  // The deps stage's production dependencies (the repository's node_modules holds the dev ones too).
  '/app/node_modules': async (target) => symlinkSync(join(root, 'node_modules'), target, 'dir'),
  // The web apps: served by the server only.
  '/app/web/dist': null,
}

/** Puts into `app` what the final stage puts into its WORKDIR. */
async function layOutImage(app: string): Promise<void> {
  for (const { from, sources, destination } of copiesIn(dockerfile).filter(
    (copy) => copy.stage === finalStage,
  )) {
    const relative = posix.isAbsolute(destination)
      ? posix.relative(finalWorkdir ?? '/', destination)
      : destination
    for (const source of sources) {
      const target = join(app, /\/$/.test(destination) ? join(relative, basename(source)) : relative)
      mkdirSync(dirname(target), { recursive: true })
      if (from === null) {
        cpSync(join(root, source), target, { recursive: true })
        continue
      }
      expect(Object.keys(stageOutputs), `COPY --from=${from} ${source}`).toContain(source)
      await stageOutputs[source]?.(target)
    }
  }
}

describe('the container commands the docs show', () => {
  const appServices = serviceNames.filter((name) => services[name]?.image === services.web?.image)

  it('include migrate and createsuperuser, each in a service of the stack', () => {
    for (const { line, service } of containerCommands) expect(serviceNames, line).toContain(service)
    const inReadme = containerCommands
      .filter((each) => each.where === 'README.md')
      .map((each) => each.command)
    expect(inReadme).toContain('node dist/main.js cli migrate')
    expect(inReadme.some((command) => command.startsWith('node dist/main.js cli createsuperuser'))).toBe(true)
  })

  it('find dist/main.js in the image: npm run build makes it in the build stage, the final stage copies it', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    expect(scripts.build).toBe('node scripts/build.mjs')
    const distCopy = copiesIn(dockerfile).find(
      (copy) => copy.stage === finalStage && copy.sources.includes('/app/dist'),
    )
    expect(distCopy?.destination).toBe('./dist')
    const buildStage = stageNamed(distCopy?.from ?? '')
    const steps = dockerfile.filter((instruction) => instruction.stage === buildStage)
    expect(steps.some((step) => step.keyword === 'WORKDIR' && step.args === '/app')).toBe(true)
    const copied = copiesIn(steps).flatMap((copy) => copy.sources)
    expect(copied).toEqual(expect.arrayContaining(['src', 'scripts', 'tsconfig.json']))
    const runs = steps.filter((step) => step.keyword === 'RUN').map((step) => step.args)
    expect(
      runs.some((args) => args.includes('node scripts/build.mjs')),
      runs.join('\n'),
    ).toBe(true)
    expect(finalWorkdir).toBe('/app')
  })

  it('work in a folder laid out as the Dockerfile lays out /app, with the settings compose gives web', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tessera-image-'))
    try {
      const app = join(scratch, 'app')
      await layOutImage(app)
      expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true)
      const env = {
        ...containerEnvironment(services.web ?? {}),
        // The embedded database instead of db, one for every command as in the stack, and no Redis:
        // what is tested is the command and the files it reads.
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        DATA_DIR: join(scratch, 'data'),
        PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
        // The shell variable the README's scripted createsuperuser takes the password from.
        ADMIN_PASSWORD: STRONG_PASSWORD,
      }
      // Each command runs once, however many places show it.
      const results = new Map<string, SpawnSyncReturns<string>>()
      for (const { line, options, service, command } of containerCommands) {
        expect(appServices, `${line}: runs in the app image`).toContain(service)
        const result =
          results.get(command) ??
          spawnSync('sh', ['-c', command], { cwd: app, env, encoding: 'utf8', timeout: 60_000 })
        results.set(command, result)
        const output = `${line}\n${result.stdout}${result.stderr}`
        if (result.status === 2 && /stdin is not a terminal/.test(result.stderr)) {
          // It prompts: it needs the terminal `docker compose exec` opens, which -T would take away.
          expect(options, output).not.toContain('-T')
        } else {
          expect(result.status, output).toBe(0)
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 120_000)
})
