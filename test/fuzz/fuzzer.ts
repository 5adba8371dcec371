// A fuzzer driven by the OpenAPI document: for every operation it generates requests from the body,
// path and query schemas (valid values, and malformed ones in their place), sends them as each kind
// of caller, and reports every answer that breaks the contract: a 5xx, an error outside the envelope,
// a 400 naming no field of the request, or an export that started a 200 it did not finish.
import fc from 'fast-check'
import type { App } from '../../src/app.js'
import { malformed, NASTY_STRINGS, RawJson, type Schema, toJsonText, valid } from './values.js'
import { CALLER_NAMES, type CallerName, type World, worldIntact } from './world.js'

type Parameter = { in: 'path' | 'query'; name: string; required?: boolean; schema: Schema }

export type Operation = {
  method: string
  /** The OpenAPI path, with `{id}` placeholders. */
  path: string
  parameters: Parameter[]
  body?: Schema
}

export type FuzzRequest = {
  operation: Operation
  caller: CallerName
  url: string
  headers: Record<string, string>
  /** JSON text; undefined for no body. */
  body?: string
}

export type Failure = { request: FuzzRequest; status: number; problem: string; response: string }

type Document = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }
    >
  >
  components?: { schemas?: Record<string, Schema> }
}

/** Every operation of the document (the docs and health endpoints are not the API's inputs). */
export function operationsOf(document: Document): Operation[] {
  const operations: Operation[] = []
  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue
    for (const [method, operation] of Object.entries(methods)) {
      const body = operation.requestBody?.content['application/json']?.schema
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        ...(body ? { body } : {}),
      })
    }
  }
  return operations
}

export function dereferencer(document: Document) {
  return function deref(schema: Schema): Schema {
    if (!schema.$ref) return schema
    const name = schema.$ref.split('/').at(-1) ?? ''
    const found = document.components?.schemas?.[name]
    if (!found) throw new Error(`unknown schema ${schema.$ref}`)
    return deref(found)
  }
}

/** The kind of id a path parameter names, from the path segment before it. */
function pathKind(path: string, name: string): string {
  if (name === 'user_id') return 'users'
  if (name === 'invitation_id') return 'invitations'
  const segments = path.split('/')
  const at = segments.indexOf(`{${name}}`)
  return segments[at - 1] ?? 'any'
}

const forgedCursors = [
  Buffer.from('[1,"not a time","not a uuid"]').toString('base64url'),
  Buffer.from('[1,1e308,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
  Buffer.from('[1,"2027-02-30T00:00:00Z","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
  Buffer.from('[1,null,null]').toString('base64url'),
  Buffer.from('[1,"\\u0000",true]').toString('base64url'),
  Buffer.from('[1,{"a":1},[2]]').toString('base64url'),
  Buffer.from('[2,"x"]').toString('base64url'),
  Buffer.from('{"a":1}').toString('base64url'),
  '!!!not-base64!!!',
  '',
  'x'.repeat(999),
]

/** A query value as a client would type it: text, or one of the nasty strings. */
function queryValue(
  parameter: Parameter,
  deref: (schema: Schema) => Schema,
  world: World,
): fc.Arbitrary<string> {
  const good = valid(parameter.schema, deref, { pools: world.pools, field: parameter.name }).map(String)
  if (parameter.name === 'cursor') return fc.oneof(fc.constantFrom(...forgedCursors), good)
  return fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  )
}

/**
 * Percent-encodes text; a lone surrogate (which encodeURIComponent refuses) becomes the three bytes a
 * careless client would send for it (WTF-8), so the server meets it as it would off the wire.
 */
function percentEncode(text: string): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('')
    else out += encodeURIComponent(char)
  }
  return out
}

function encodeQuery(pairs: [string, string][]): string {
  if (pairs.length === 0) return ''
  return `?${pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&')}`
}

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`

/** A body: valid, with one field malformed, a required field missing, extras, or a hostile document. */
function bodyText(schema: Schema, deref: (schema: Schema) => Schema, world: World): fc.Arbitrary<string> {
  const good = valid(schema, deref, { pools: world.pools, field: 'body' }) as fc.Arbitrary<
    Record<string, unknown>
  >
  const properties = Object.entries(deref(schema).properties ?? {})
  const withBadField =
    properties.length === 0
      ? good
      : fc
          .tuple(good, fc.constantFrom(...properties))
          .chain(([body, [name, inner]]) =>
            malformed(inner, deref).map((bad) => ({ ...(body as object), [name]: bad })),
          )
  const required = deref(schema).required ?? []
  const missing =
    required.length === 0
      ? good
      : fc.tuple(good, fc.constantFrom(...required)).map(([body, name]) => {
          const copy = { ...(body as object) } as Record<string, unknown>
          delete copy[name]
          return copy
        })
  return fc.oneof(
    { weight: 4, arbitrary: good.map(toJsonText) },
    { weight: 4, arbitrary: withBadField.map(toJsonText) },
    { weight: 1, arbitrary: missing.map(toJsonText) },
    {
      weight: 1,
      arbitrary: good.map((body) => toJsonText({ ...(body as object), unexpected: 'extra', is_staff: true })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        DEEP,
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        '[]',
        '"text"',
        '12',
        'null',
        '{"a":',
        `{"x":${new RawJson('1e400').text}}`,
      ),
    },
  )
}

const HEADER_VARIANTS = (world: World): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: fc.constant({ 'x-business-id': world.businessA }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(world.businessB, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '')
        .map((id) => ({ 'x-business-id': id })),
    },
  )

/** Requests for one operation. */
export function requestsFor(operation: Operation, deref: (schema: Schema) => Schema, world: World) {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path')
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query')
  const pathValues = pathParameters.map((parameter) => {
    const kind = pathKind(operation.path, parameter.name)
    const known = world.pools[kind] ?? world.pools.any ?? []
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...known) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '00000000-0000-4000-8000-000000000000',
          'not-a-uuid',
          '%00',
          'x'.repeat(300),
          '1e400',
        ),
      },
    )
  })
  const query = fc
    .subarray(queryParameters)
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((parameter) =>
          fc
            .tuple(queryValue(parameter, deref, world), fc.boolean(), queryValue(parameter, deref, world))
            .map(([value, twice, other]): [string, string][] =>
              // A duplicated parameter arrives as two values.
              twice && parameter.name !== 'cursor'
                ? [
                    [parameter.name, value],
                    [parameter.name, other],
                  ]
                : [[parameter.name, value]],
            ),
        ),
      ),
    )
    .map((groups) => groups.flat())
  return fc
    .record({
      caller: fc.constantFrom(...CALLER_NAMES),
      pathValues: fc.tuple(...pathValues),
      query,
      headers: HEADER_VARIANTS(world),
      body: operation.body ? bodyText(operation.body, deref, world) : fc.constant(undefined),
    })
    .map(({ caller, pathValues: values, query: pairs, headers, body }): FuzzRequest => {
      let path = operation.path
      pathParameters.forEach((parameter, index) => {
        path = path.replace(`{${parameter.name}}`, percentEncode(values[index] ?? ''))
      })
      const user = world.callers[caller]
      return {
        operation,
        caller,
        url: `${path}${encodeQuery(pairs)}`,
        headers: {
          ...(user ? user.auth : {}),
          ...headers,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined ? { body } : {}),
      }
    })
}

export type Answer = { statusCode: number; headers: Record<string, string>; body: string }

/**
 * Sends the request over a real connection, as a client would: a response the server cuts short (a
 * streamed 200 it could not finish) shows as a failed read of the body.
 */
export async function send(base: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${base}${request.url}`, {
    method: request.operation.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  })
  const body = await response.text()
  return { statusCode: response.status, headers: Object.fromEntries(response.headers), body }
}

/** The request's fields: what a 400's `errors` may name. */
function requestFields(operation: Operation, deref: (schema: Schema) => Schema): Set<string> {
  const fields = new Set(['non_field_errors', 'body', 'querystring', 'params', 'x-business-id', 'headers'])
  for (const parameter of operation.parameters) fields.add(parameter.name)
  if (operation.body) for (const name of Object.keys(deref(operation.body).properties ?? {})) fields.add(name)
  return fields
}

const rootOf = (field: string) => field.split(/[.[]/)[0] ?? field

/** What is wrong with the answer, or null. */
export function problemWith(
  request: FuzzRequest,
  response: Answer,
  deref: (schema: Schema) => Schema,
): string | null {
  if (response.statusCode >= 500) return `answered ${response.statusCode}`
  const type = String(response.headers['content-type'] ?? '')
  if (response.statusCode >= 400) {
    if (!type.startsWith('application/json')) return `error answered as ${type}`
    let body: { code?: unknown; errors?: Record<string, unknown> }
    try {
      body = JSON.parse(response.body)
    } catch {
      return 'error body is not JSON'
    }
    if (typeof body.code !== 'string') return 'error body has no code'
    if (response.statusCode === 400 && body.errors) {
      const known = requestFields(request.operation, deref)
      const strangers = Object.keys(body.errors).filter((field) => !known.has(rootOf(field)))
      if (strangers.length > 0) return `400 names fields the request does not have: ${strangers.join(', ')}`
    }
    return null
  }
  if (request.operation.path.endsWith('/export/') && response.statusCode === 200) {
    if (type.startsWith('application/json')) {
      try {
        if (!Array.isArray(JSON.parse(response.body))) return 'JSON export is not an array'
      } catch {
        return 'JSON export was cut short'
      }
    } else if (!response.body.endsWith('\n')) return 'CSV export was cut short'
  }
  return null
}

/** The request as a curl command line, against a server on `base`. */
export function curlOf(request: FuzzRequest, base = 'http://127.0.0.1:8000'): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
  const parts = ['curl', '-i', '-X', request.operation.method, quote(`${base}${request.url}`)]
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', quote(`${name}: ${value}`))
  if (request.body !== undefined) {
    const body =
      request.body.length > 300
        ? `${request.body.slice(0, 300)}… (${request.body.length} chars)`
        : request.body
    parts.push('--data-raw', quote(body))
  }
  return `${parts.join(' ')}   # as ${request.caller}`
}

export type FuzzOptions = {
  runs: number
  seed: number
  /** Called after each operation with its index, the count and the failures so far. */
  progress?: (done: number, total: number, failures: number) => void
  /** Makes a fresh world when the requests broke the old one (a caller deactivated, A deleted). */
  rebuild: () => Promise<World>
}

/** `runs` requests per operation of the app's OpenAPI document; every broken answer is returned. */
export async function fuzz(app: App, world: World, options: FuzzOptions): Promise<Failure[]> {
  const base = await listening(app)
  const document = app.swagger() as unknown as Document
  const deref = dereferencer(document)
  const operations = operationsOf(document)
  const failures: Failure[] = []
  let current = world
  for (const [index, operation] of operations.entries()) {
    const requests = fc.sample(requestsFor(operation, deref, current), {
      numRuns: options.runs,
      seed: options.seed + index,
    })
    for (const request of requests) {
      let response: Answer
      try {
        response = await send(base, request)
      } catch (error) {
        const cause = (error as { cause?: Error }).cause?.message ?? ''
        failures.push({
          request,
          status: 0,
          problem: `no complete answer: ${(error as Error).message} ${cause}`,
          response: '',
        })
        continue
      }
      const problem = problemWith(request, response, deref)
      if (problem)
        failures.push({
          request,
          status: response.statusCode,
          problem,
          response: response.body.slice(0, 300),
        })
    }
    if (!(await worldIntact(app, current))) current = await options.rebuild()
    options.progress?.(index + 1, operations.length, failures.length)
  }
  return failures
}

/** The address the app serves on; it starts listening on a free loopback port when it is not yet. */
async function listening(app: App): Promise<string> {
  const address = app.server.address()
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`
  return app.listen({ host: '127.0.0.1', port: 0 })
}

/** One line per failure: what broke, then the request as curl. */
export function report(failures: Failure[], base?: string): string {
  return failures
    .map(
      (failure) =>
        `${failure.request.operation.method} ${failure.request.operation.path}: ${failure.problem} (${failure.status}) ${failure.response}\n  ${curlOf(failure.request, base)}`,
    )
    .join('\n')
}
