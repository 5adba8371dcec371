import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/platform/errors.js'
import { cursorCodec, pageMeta, readPageRequest } from '../../src/platform/http/pagination.js'

const cursors = cursorCodec(Buffer.alloc(32, 7), '/api/things/ -created_at')
const encodeCursor = cursors.encode
const decodeCursor = cursors.decode

const url = 'http://localhost/api/things/?status=active&page=2'

describe('readPageRequest', () => {
  it('defaults to page 1 of 20, fetching one extra row to detect a next page', () => {
    expect(readPageRequest({}, cursors)).toEqual({
      kind: 'page',
      page: 1,
      pageSize: 20,
      offset: 0,
      limit: 21,
    })
    expect(readPageRequest({ page: 3, page_size: 10 }, cursors)).toMatchObject({ offset: 20, limit: 11 })
  })

  it('refuses page and cursor together', () => {
    expect(() => readPageRequest({ page: 2, cursor: encodeCursor(['x']) }, cursors)).toThrow(AppError)
  })

  it('decodes a cursor it issued, and refuses a forged one', () => {
    const position = ['2026-01-01T00:00:00Z', 'id-1', 3, null] as const
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
    expect(readPageRequest({ cursor: encodeCursor(position) }, cursors)).toMatchObject({
      kind: 'cursor',
      after: position,
    })
    const [payload, signature] = encodeCursor(position).split('.')
    const edited = Buffer.from('[1,"1e308","not-a-uuid",3,null]').toString('base64url')
    for (const forged of [
      '%%%',
      Buffer.from('[2,"x"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      `${edited}.${signature}`,
      `${payload}.`,
      `${payload}.${signature}.x`,
      cursorCodec(Buffer.alloc(32, 7), '/api/other/ -created_at').encode(position),
      cursorCodec(Buffer.alloc(32, 8), '/api/things/ -created_at').encode(position),
    ]) {
      expect(() => decodeCursor(forged), forged).toThrow(
        expect.objectContaining({ code: 'validation_error', errors: { cursor: ['Invalid cursor.'] } }),
      )
    }
  })
})

describe('pageMeta', () => {
  it('links the next and previous pages and carries a next cursor', () => {
    const request = readPageRequest({ page: 2, page_size: 10 }, cursors)
    const meta = pageMeta({
      url,
      request,
      fetched: 11,
      lastPosition: ['b'],
      total: { count: 35, isEstimate: false },
      cursors,
    })
    expect(meta).toMatchObject({
      page: 2,
      page_size: 10,
      total: 35,
      total_pages: 4,
      total_is_estimate: false,
    })
    expect(meta.next).toBe('http://localhost/api/things/?status=active&page=3')
    expect(meta.previous).toBe('http://localhost/api/things/?status=active')
    expect(decodeCursor(meta.next_cursor as string)).toEqual(['b'])
  })

  it('has no next link on the last page', () => {
    const request = readPageRequest({ page: 4, page_size: 10 }, cursors)
    const meta = pageMeta({
      url,
      request,
      fetched: 5,
      lastPosition: ['z'],
      total: { count: 35, isEstimate: true },
      cursors,
    })
    expect(meta).toMatchObject({ next: null, next_cursor: null, total_is_estimate: true })
  })

  it('continues a cursor page with a cursor link', () => {
    const request = readPageRequest({ cursor: encodeCursor(['a']), page_size: 2 }, cursors)
    const meta = pageMeta({
      url: 'http://localhost/api/things/?cursor=abc',
      request,
      fetched: 3,
      lastPosition: ['c'],
      cursors,
    })
    expect(meta.page).toBeNull()
    expect(meta.total).toBeNull()
    expect(meta.next).toBe(`http://localhost/api/things/?cursor=${meta.next_cursor}`)
  })
})
