// The one way the web apps talk to the API: same-origin fetch over the cookie session. Every unsafe
// request carries the `csrftoken` cookie's value in X-CSRFToken, read afresh each time because a
// sign-in rotates it. No token is ever kept in localStorage.
import type { components } from './schema'

export type ErrorBody = components['schemas']['ErrorBody']
export type Pagination = components['schemas']['PaginationMeta']

export type Envelope<T> = { data: T; message?: string; meta?: { pagination: Pagination } }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }

  /** The messages the API gave for one field of the request, if any. */
  field(name: string): string | undefined {
    return this.fields[name]?.join(' ')
  }
}

type Query = Record<string, string | number | boolean | null | undefined>

export type RequestOptions = {
  body?: unknown
  query?: Query
  /** X-Business-ID: which business a staff request acts in. */
  business?: string | null
  signal?: AbortSignal
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function cookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

async function csrfToken(fresh: boolean): Promise<string> {
  const existing = fresh ? null : cookie('csrftoken')
  if (existing) return existing
  const response = await fetch('/api/auth/csrf/', { credentials: 'same-origin' })
  const body = (await response.json()) as Envelope<{ csrf_token: string }>
  return body.data.csrf_token
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

async function send(
  method: string,
  path: string,
  options: RequestOptions,
  freshCsrf = false,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (UNSAFE.has(method)) headers['X-CSRFToken'] = await csrfToken(freshCsrf)
  if (options.business) headers['X-Business-ID'] = options.business
  return fetch(withQuery(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

async function toError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After'))
  const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null
  try {
    const body = (await response.json()) as ErrorBody
    return new ApiError(response.status, body.code, body.message, body.errors ?? {}, wait)
  } catch {
    return new ApiError(
      response.status,
      response.status >= 500 ? 'server_error' : 'bad_request',
      '',
      {},
      wait,
    )
  }
}

/** Sends one request; resolves with the envelope, or throws an ApiError (status 0 when offline). */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Envelope<T>> {
  let response: Response
  try {
    response = await send(method, path, options)
    // A CSRF cookie that expired or was rotated elsewhere: fetch a fresh one and try once more.
    if (response.status === 403 && UNSAFE.has(method)) {
      const error = await toError(response.clone())
      if (error.code === 'csrf_failed') response = await send(method, path, options, true)
    }
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, 'network_error', 'The network request failed.')
  }
  if (!response.ok) throw await toError(response)
  return (await response.json()) as Envelope<T>
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
}
