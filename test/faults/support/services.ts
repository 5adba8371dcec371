// The services a fault scenario breaks, each its own: a database on the PostgreSQL server of
// DATABASE_URL, a Redis server, a whole PostgreSQL instance (for restarts, so the machine's server keeps
// serving everyone else) and an SMTP sink. All listen on loopback only.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, freePort, startChild, stop } from '../../../bench/processes.js'
import { answersPing } from '../../../bench/production.js'
import { type SmtpSink, startSmtpSink } from '../../../bench/smtp-sink.js'
import { createDatabase, dropDatabase } from '../../helpers/postgres.js'

const root = new URL('../../../', import.meta.url).pathname

/**
 * The PostgreSQL server of DATABASE_URL, which `npm run test:faults` requires. Redis is always a server
 * of the scenario's own (`redis-server` from PATH, the machine's installation): the scenarios stop and
 * empty it, which they must never do to the Redis of REDIS_URL.
 */
export function databaseServerUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('npm run test:faults needs DATABASE_URL (a real PostgreSQL server)')
  return url
}

/** An empty database of its own on the DATABASE_URL server; `drop()` removes it. */
export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = await createDatabase(databaseServerUrl(), { empty: true })
  return { url, drop: () => dropDatabase(url) }
}

export type OwnRedis = {
  url: string
  /** Stops the server (its data go with it: it keeps nothing on disk). */
  stop(): Promise<void>
  /** Starts it again on the same port, empty. */
  start(): Promise<void>
}

/** A redis-server of its own, like the machine's: nothing kept on disk. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort()
  let child: Child | undefined
  const start = async () => {
    child = await startChild({
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
      ],
      cwd: root,
      env: process.env,
      port,
      service: true,
      quiet: true,
      ready: answersPing,
    })
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child) await stop(child, 'SIGKILL')
      child = undefined
    },
    start,
  }
}

export type OwnPostgres = {
  /** A database on it for the app. */
  url: string
  /** Stops it as a crash would (immediate shutdown: no checkpoint, recovery from WAL at start). */
  crash(): void
  start(): void
  remove(): void
}

const runningAsRoot = process.getuid?.() === 0

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (PostgreSQL refuses root). */
function pgBinary(name: string, args: string[]): void {
  const binary = join(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim(), name)
  const [command, commandArgs] = runningAsRoot
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, args]
  execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'inherit'] })
}

/**
 * A PostgreSQL instance of its own from this machine's installation (the same binaries as the server of
 * DATABASE_URL), in a temporary directory, on a free loopback port, with one database `tessera`.
 */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-faults-pg-'))
  if (runningAsRoot) execFileSync('chown', ['postgres', dir])
  const data = join(dir, 'data')
  const port = await freePort()
  pgBinary('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`
  const start = () =>
    pgBinary('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'])
  const halt = (mode: string) => pgBinary('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
  start()
  execFileSync('psql', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-qc',
    'create database tessera',
  ])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/tessera`,
    crash: () => halt('immediate'),
    start,
    remove() {
      if (existsSync(join(data, 'postmaster.pid'))) halt('fast')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type RefusingSmtpSink = {
  port: number
  /** Every Message-ID received, in arrival order, redeliveries included. */
  arrivals(): string[]
  /** Closes the port: connections are refused until `open()`. */
  refuse(): Promise<void>
  open(): Promise<void>
  close(): Promise<void>
}

/** bench/smtp-sink.ts on a fixed port that can be closed for a while (a mail provider down). */
export async function smtpSink(): Promise<RefusingSmtpSink> {
  const port = await freePort()
  const earlier: string[] = []
  let sink: SmtpSink | undefined = await startSmtpSink(port)
  const close = async () => {
    if (!sink) return
    earlier.push(...sink.arrivals)
    await sink.close()
    sink = undefined
  }
  return {
    port,
    arrivals: () => [...earlier, ...(sink?.arrivals ?? [])],
    refuse: close,
    open: async () => {
      sink ??= await startSmtpSink(port)
    },
    close,
  }
}
