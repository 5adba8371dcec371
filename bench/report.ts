// The bench's output: a table on stdout and the same figures as JSON.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { LoadOptions, Measurement } from './load.js'
import type { MemoryPeaks } from './processes.js'
import type { EmailCheck } from './production.js'

/** A scenario's figures, with the yardstick's req/s measured just before it (null without one). */
export type Measured = Measurement & { yardstickRps: number | null }

export type Report = {
  finishedAt: string
  database: 'postgresql' | 'pglite'
  /** What ran: one web process, or the production shape. */
  shape: string
  node: string
  load: LoadOptions
  yardstick: Measurement | null
  scenarios: (Measured & { percentOfYardstick: number | null })[]
  /** RSS sampled under load: the web server (and the worker) as deployed. */
  memory: MemoryPeaks
  /** The second web server, without the catalog cache, that only the bench runs. */
  uncachedMemory: MemoryPeaks | null
  /** The production shape's emails: written during the run, delivered to the SMTP sink, lost. */
  emails: EmailCheck | null
}

export function buildReport(
  parts: Omit<Report, 'finishedAt' | 'node' | 'scenarios'> & { measured: Measured[] },
): Report {
  const { measured, ...rest } = parts
  const scenarios = measured.map((m) => ({
    ...m,
    percentOfYardstick: m.yardstickRps ? (100 * m.requestsPerSecond) / m.yardstickRps : null,
  }))
  return { finishedAt: new Date().toISOString(), node: process.version, ...rest, scenarios }
}

const fixed = (value: number, digits: number) => value.toFixed(digits)
const megabytes = (bytes: number) => `${fixed(bytes / 1024 / 1024, 1)} MB`

function memoryLines(title: string, memory: MemoryPeaks): string[] {
  const each = memory.processes.map((p) => `${p.name} ${megabytes(p.peakBytes)}`).join(', ')
  return [`${title}: ${each}; all together at most ${megabytes(memory.totalPeakBytes)}`]
}

function emailLine(emails: EmailCheck): string {
  return `emails written during the run: ${emails.written}, delivered to the SMTP sink: ${emails.delivered}, lost: ${emails.lost}, redelivered: ${emails.duplicates}; outbox drained ${fixed(emails.drainSeconds, 1)} s after the last scenario`
}

export function formatReport(report: Report): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'yardstick beside', '% of yardstick']
  const row = (m: Measurement, beside: string, percent: string) => [
    m.connections === report.load.connections ? m.scenario : `${m.scenario} (${m.connections} connections)`,
    fixed(m.requestsPerSecond, 0),
    String(m.p50Ms),
    String(m.p99Ms),
    String(m.errors),
    beside,
    percent,
  ]
  const rows = [
    ...(report.yardstick ? [row(report.yardstick, '', '100%')] : []),
    ...report.scenarios.map((m) =>
      row(
        m,
        m.yardstickRps === null ? 'n/a' : fixed(m.yardstickRps, 0),
        m.percentOfYardstick === null ? 'n/a' : `${fixed(m.percentOfYardstick, 1)}%`,
      ),
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
  const lines = [
    `database: ${report.database}; ${report.shape}; ${report.load.connections} connections, ${report.load.warmup} s warm-up + ${report.load.duration} s per scenario`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...memoryLines('peak RSS under load', report.memory),
    ...(report.uncachedMemory ? memoryLines('the cache-less web server', report.uncachedMemory) : []),
    ...(report.emails ? [emailLine(report.emails)] : []),
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
