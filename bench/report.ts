// The bench's output: a table on stdout and the same figures as JSON.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { LoadOptions, Measurement } from './load.js'

export type Report = {
  finishedAt: string
  database: 'postgresql' | 'pglite'
  node: string
  load: LoadOptions
  yardstick: Measurement | null
  scenarios: (Measurement & { percentOfYardstick: number | null })[]
  /** Bytes: the largest RSS sampled while the bench ran, and the kernel's peak since start (VmHWM). */
  serverPeakRss: { underLoad: number | null; sinceStart: number | null }
}

export function buildReport(
  database: Report['database'],
  load: LoadOptions,
  yardstick: Measurement | null,
  measured: Measurement[],
  serverPeakRss: Report['serverPeakRss'],
): Report {
  const scenarios = measured.map((m) => ({
    ...m,
    percentOfYardstick: yardstick?.requestsPerSecond
      ? (100 * m.requestsPerSecond) / yardstick.requestsPerSecond
      : null,
  }))
  const finishedAt = new Date().toISOString()
  return { finishedAt, database, node: process.version, load, yardstick, scenarios, serverPeakRss }
}

const fixed = (value: number, digits: number) => value.toFixed(digits)
const megabytes = (bytes: number | null) =>
  bytes === null ? 'unknown' : `${fixed(bytes / 1024 / 1024, 1)} MB`

export function formatReport(report: Report): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', '% of yardstick']
  const row = (m: Measurement, percent: string) => [
    m.connections === report.load.connections ? m.scenario : `${m.scenario} (${m.connections} connections)`,
    fixed(m.requestsPerSecond, 0),
    String(m.p50Ms),
    String(m.p99Ms),
    String(m.errors),
    percent,
  ]
  const rows = [
    ...(report.yardstick ? [row(report.yardstick, '100%')] : []),
    ...report.scenarios.map((m) =>
      row(m, m.percentOfYardstick === null ? 'n/a' : `${fixed(m.percentOfYardstick, 1)}%`),
    ),
  ]
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((r) => r[column]?.length ?? 0)),
  )
  // The scenario name is left-aligned, the figures right-aligned.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
  const rss = report.serverPeakRss
  const lines = [
    `database: ${report.database}; ${report.load.connections} connections, ${report.load.warmup} s warm-up + ${report.load.duration} s per scenario`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `server peak RSS under load: ${megabytes(rss.underLoad)} (since start: ${megabytes(rss.sinceStart)})`,
  ]
  if (!report.yardstick) {
    lines.push('no yardstick: it needs PostgreSQL, so the percentages need DATABASE_URL')
  }
  return lines.join('\n')
}

export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
}
