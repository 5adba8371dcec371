// Streamed exports (`?format=csv|json`): rows are read in keyset batches and written as they come, so
// memory stays flat at any size. CSV follows RFC 4180; both formats defuse spreadsheet formulas.
import { Readable } from 'node:stream'
import { type TObject, Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'

export const ExportFormat = Type.Union([Type.Literal('csv'), Type.Literal('json')], { default: 'csv' })
export type ExportFormat = 'csv' | 'json'

/** An export's query: its list's filters (pagination left out) and `format`. */
export function exportQuery<List extends TObject, LeftOut extends keyof List['properties'] = never>(
  list: List,
  leftOut: LeftOut[] = [],
) {
  const paging: ('page' | 'page_size' | 'cursor' | LeftOut)[] = ['page', 'page_size', 'cursor', ...leftOut]
  return Type.Composite([Type.Omit(list, paging), Type.Object({ format: Type.Optional(ExportFormat) })])
}

type Cell = string | number | boolean | null

export type ExportColumn<Row> = { header: string; value: (row: Row) => Cell }

export const EXPORT_BATCH = 1000

// Cells a spreadsheet may run as a formula: those starting with = + - @, and with a tab or a carriage
// return, which OWASP's CSV injection guidance lists too (API.md, "export cells").
const FORMULA_START = /^[=+\-@\t\r]/

/** A text cell a spreadsheet would run as a formula gets a leading apostrophe; other values stay. */
export function defusedCell(value: Cell): Cell {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value
}

export function csvCell(value: Cell): string {
  if (value === null) return ''
  const text = String(defusedCell(value))
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Reads every batch: `fetch(after)` returns up to EXPORT_BATCH rows after the given row. */
export async function* keysetBatches<Row>(
  fetch: (after: Row | null) => Promise<Row[]>,
): AsyncGenerator<Row[]> {
  let after: Row | null = null
  for (;;) {
    const rows = await fetch(after)
    if (rows.length > 0) yield rows
    if (rows.length < EXPORT_BATCH) return
    after = rows.at(-1) ?? null
  }
}

async function* render<Row>(
  format: ExportFormat,
  columns: ExportColumn<Row>[],
  batches: AsyncIterable<Row[]>,
) {
  if (format === 'csv') {
    yield `${columns.map((column) => csvCell(column.header)).join(',')}\r\n`
    for await (const rows of batches) {
      yield rows.map((row) => `${columns.map((column) => csvCell(column.value(row))).join(',')}\r\n`).join('')
    }
    return
  }
  yield '['
  let first = true
  for await (const rows of batches) {
    const objects = rows.map((row) =>
      JSON.stringify(
        Object.fromEntries(columns.map((column) => [column.header, defusedCell(column.value(row))])),
      ),
    )
    yield `${first ? '' : ','}${objects.join(',')}`
    first = false
  }
  yield ']'
}

export function sendExport<Row>(
  reply: FastifyReply,
  format: ExportFormat,
  name: string,
  columns: ExportColumn<Row>[],
  batches: AsyncIterable<Row[]>,
) {
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8'
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .send(Readable.from(render(format, columns, batches)))
}
