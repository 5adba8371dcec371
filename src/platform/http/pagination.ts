// Page-number pagination (DRF's `?page=&page_size=`) and keyset pagination (`?cursor=`) for every list.

import { createHmac, timingSafeEqual } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { deriveKey } from '../crypto.js'
import { badRequest, validationFailed } from '../errors.js'
import type { PaginationMeta } from './envelope.js'
import { Text } from './inputs.js'

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

/** Query-string fields every list accepts; spread into a route's querystring schema. */
export const paginationQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
  cursor: Type.Optional(Text({ maxLength: 1000 })),
}

export type PaginationQuery = { page?: number; page_size?: number; cursor?: string }

/** A position in a keyset order: the sort-key values of the last row of the previous page. */
export type CursorPosition = readonly (string | number | boolean | null)[]

export type PageRequest =
  | { kind: 'page'; page: number; pageSize: number; offset: number; limit: number }
  | { kind: 'cursor'; after: CursorPosition | null; pageSize: number; limit: number }

const CURSOR_VERSION = 1
const SIGNATURE_CHARS = 22

/** Encodes and decodes the cursors of one list (one route and ordering). */
export type CursorCodec = {
  encode(position: CursorPosition): string
  decode(cursor: string): CursorPosition
}

/**
 * Cursors are signed: a cursor is the position of a row the server itself listed, for this route and
 * ordering, so a forged or edited one (values the list's SQL would choke on, or another list's sort
 * key) is refused whole, as 400 `Invalid cursor.`, without knowing each list's sort-key types.
 */
export function cursorCodec(key: Buffer, scope: string): CursorCodec {
  const sign = (payload: string) =>
    createHmac('sha256', key)
      .update(scope)
      .update('\n')
      .update(payload)
      .digest('base64url')
      .slice(0, SIGNATURE_CHARS)
  const invalid = () => validationFailed({ cursor: ['Invalid cursor.'] })
  return {
    encode(position) {
      const payload = Buffer.from(JSON.stringify([CURSOR_VERSION, ...position])).toString('base64url')
      return `${payload}.${sign(payload)}`
    },
    decode(cursor) {
      const [payload = '', signature = '', ...rest] = cursor.split('.')
      const expected = sign(payload)
      if (
        rest.length > 0 ||
        signature.length !== expected.length ||
        !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
      )
        throw invalid()
      let parsed: unknown
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      } catch {
        throw invalid()
      }
      if (!(Array.isArray(parsed) && parsed[0] === CURSOR_VERSION)) throw invalid()
      return parsed.slice(1) as CursorPosition
    },
  }
}

const cursorKeys = new Map<string, Buffer>()

/** The cursor codec of a list request: its route and ordering, signed with the app's SECRET_KEY. */
export function cursorsFor(request: FastifyRequest): CursorCodec {
  const secret = request.server.config.secretKey
  let key = cursorKeys.get(secret)
  if (!key) {
    key = deriveKey(secret, 'list-cursor')
    cursorKeys.set(secret, key)
  }
  const ordering = (request.query as { ordering?: unknown } | undefined)?.ordering
  return cursorCodec(key, `${request.routeOptions.url ?? ''} ${typeof ordering === 'string' ? ordering : ''}`)
}

/**
 * Reads the pagination fields of a list request. Without `page` the request is keyset-paged from the
 * start (so the first page carries a `next_cursor`); `page` and `cursor` together are refused.
 * `limit` asks one row more than the page so the caller can tell whether a next page exists.
 */
export function readPageRequest(query: PaginationQuery, cursors: CursorCodec): PageRequest {
  const pageSize = query.page_size ?? DEFAULT_PAGE_SIZE
  if (query.cursor !== undefined && query.page !== undefined) {
    throw badRequest('Use either "page" or "cursor", not both.')
  }
  if (query.cursor !== undefined) {
    return { kind: 'cursor', after: cursors.decode(query.cursor), pageSize, limit: pageSize + 1 }
  }
  const page = query.page ?? 1
  return { kind: 'page', page, pageSize, offset: (page - 1) * pageSize, limit: pageSize + 1 }
}

type PageMetaInput = {
  /** The request's absolute URL; next/previous links are built from it. */
  url: string
  request: PageRequest
  /** Rows fetched with `request.limit`: one more than the page size means there is a next page. */
  fetched: number
  /** Sort-key position of the last row on the page, for `next_cursor`. */
  lastPosition: CursorPosition | null
  /** Total rows, when known; `isEstimate` marks a planner estimate used above the exact-count threshold. */
  total?: { count: number; isEstimate: boolean } | null
  cursors: CursorCodec
}

function withQuery(url: string, changes: Record<string, string | null>): string {
  const parsed = new URL(url)
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) parsed.searchParams.delete(key)
    else parsed.searchParams.set(key, value)
  }
  return parsed.toString()
}

/** Builds `meta.pagination` for a page of results. */
export function pageMeta({
  url,
  request,
  fetched,
  lastPosition,
  total,
  cursors,
}: PageMetaInput): PaginationMeta {
  const hasNext = fetched > request.pageSize
  const nextCursor = hasNext && lastPosition ? cursors.encode(lastPosition) : null
  const totalPages = total ? Math.max(1, Math.ceil(total.count / request.pageSize)) : null
  if (request.kind === 'cursor') {
    return {
      page: null,
      page_size: request.pageSize,
      total: total?.count ?? null,
      total_is_estimate: total?.isEstimate ?? false,
      total_pages: totalPages,
      next: nextCursor ? withQuery(url, { cursor: nextCursor, page: null }) : null,
      previous: null,
      next_cursor: nextCursor,
    }
  }
  const { page } = request
  return {
    page,
    page_size: request.pageSize,
    total: total?.count ?? null,
    total_is_estimate: total?.isEstimate ?? false,
    total_pages: totalPages,
    next: hasNext ? withQuery(url, { page: String(page + 1), cursor: null }) : null,
    previous: page > 1 ? withQuery(url, { page: page === 2 ? null : String(page - 1), cursor: null }) : null,
    next_cursor: nextCursor,
  }
}

/** The request's own absolute URL, which next/previous links are built from. */
export function absoluteUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url}`
}

export type ListResult<Row> = {
  rows: Row[]
  /** Rows fetched with the page request's limit (one more than shown when a next page exists). */
  fetched: number
  lastPosition: CursorPosition | null
  /** Null on cursor pages: the first page gave it, and counting again would cost every page. */
  total: { count: number; isEstimate: boolean } | null
}

/** A numbered page from rows fetched with `page.limit` (one extra tells whether a next page exists). */
export function numberedPage<Row>(page: PageRequest, rows: Row[], total: number): ListResult<Row> {
  return {
    rows: rows.slice(0, page.pageSize),
    fetched: rows.length,
    lastPosition: null,
    total: { count: total, isEstimate: false },
  }
}

/** `{ data, meta: { pagination } }` for a page of rows. */
export function listBody<Row, Out>(
  request: FastifyRequest,
  page: PageRequest,
  result: ListResult<Row>,
  toOut: (row: Row) => Out,
) {
  return {
    data: result.rows.map(toOut),
    meta: {
      pagination: pageMeta({
        url: absoluteUrl(request),
        request: page,
        fetched: result.fetched,
        lastPosition: result.lastPosition,
        total: result.total,
        cursors: cursorsFor(request),
      }),
    },
  }
}
