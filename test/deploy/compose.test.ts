// No Docker engine runs where this project is built and tested, so the container files are checked
// statically: they parse, they reference files that exist, and what they pass to the app is a valid
// configuration of the code in this repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { MAX_BODY_BYTES, WEB_BUILD_DIR } from '../../src/app.js'
import { loadConfig, settings } from '../../src/platform/config.js'
import { MIGRATIONS_FOLDER } from '../../src/platform/db/migrate.js'
import { hostAllowed } from '../../src/platform/http/allowed-hosts.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (path: string) => readFileSync(join(root, path), 'utf8')

// ---- docker-compose.yml ----

type EnvironmentValue = string | number | boolean | null
type Service = {
  image?: string
  build?: string | { context?: string; dockerfile?: string }
  command?: string | string[]
  environment?: Record<string, EnvironmentValue> | string[]
  depends_on?: string[] | Record<string, { condition?: string }>
  volumes?: (string | { type?: string; source?: string; target?: string })[]
  healthcheck?: { test?: string | string[]; disable?: boolean }
  profiles?: string[]
}
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> }

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

type Mount = { kind: 'volume' | 'bind'; source: string }

function mountsOf(service: Service): Mount[] {
  return (service.volumes ?? []).flatMap((entry): Mount[] => {
    if (typeof entry === 'string') {
      const parts = entry.split(':')
      if (parts.length < 2) return [] // an anonymous volume: only a target
      const source = parts[0] ?? ''
      return [{ kind: /^[./~]/.test(source) ? 'bind' : 'volume', source }]
    }
    if (!entry.source) return []
    return [{ kind: entry.type === 'bind' ? 'bind' : 'volume', source: entry.source }]
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

const hasDefault = (i: Interpolation) => i.operator === '-' || i.operator === ':-'

/** Resolves interpolations the way compose would with every variable without a default set. */
function interpolate(text: string, setValue: string): string {
  return text.replace(DOLLAR, (_raw, escaped: string | undefined, braced: string | undefined) => {
    if (escaped) return '$'
    const parts = braced === undefined ? null : BRACED.exec(braced)
    const operator = parts?.[2] ?? ''
    if (operator === '-' || operator === ':-') return parts?.[3] ?? ''
    if (operator === '+' || operator === ':+') return parts?.[3] ?? ''
    return setValue
  })
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
    const image = imageEnvironment()
    for (const name of ['web', 'worker']) {
      const resolved = Object.fromEntries(
        Object.entries(environmentOf(services[name] ?? {})).map(([key, value]) => [
          key,
          value === undefined
            ? undefined
            : interpolate(value, 'a-placeholder-secret-that-is-long-enough-0123'),
        ]),
      )
      const config = loadConfig({ ...image, ...resolved })
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

  it('uses only well-formed variable interpolations', () => {
    const malformed = stringsIn(compose)
      .flatMap(interpolationsIn)
      .filter((found) => 'malformed' in found)
    expect(malformed).toEqual([])
  })

  it.skipIf(!existsSync(join(root, '.env.example')))(
    'documents in .env.example every interpolated variable without a default',
    () => {
      const envExample = read('.env.example')
      const required = new Set(
        stringsIn(compose)
          .flatMap(interpolationsIn)
          .filter((found): found is Interpolation => !('malformed' in found) && !hasDefault(found))
          .map((found) => found.name),
      )
      expect(required.size).toBeGreaterThan(0)
      // A `NAME=` line, commented out or not.
      const undocumented = [...required].filter(
        (name) => !new RegExp(`^[ \\t]*#?[ \\t]*${name}=`, 'm').test(envExample),
      )
      expect(undocumented, 'add these to .env.example').toEqual([])
    },
  )
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
