// The processes of a run (servers, the worker, Redis, the SMTP sink), as children. Each gets its own
// process group, so a Ctrl-C reaches only the bench, which then stops them itself (SIGTERM, then SIGKILL
// if they hang).
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export type Child = { name: string; url: string; pid: number }

const STOP_TIMEOUT_MS = 15_000
const children = new Set<ChildProcess>()
const byPid = new Map<number, ChildProcess>()
// Services the others use (Redis, the SMTP sink): stopped after them, so nobody sees them vanish.
const services = new WeakSet<ChildProcess>()

// Last resort when the bench dies without stopping them (uncaught error, process.exit).
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * Runs `command <args>` (node by default) from `cwd` on a free port (env PORT, HOST=127.0.0.1) and
 * waits until it is ready: GET `readyPath` answers 200, or `ready()` resolves true. Throws if it exits
 * first or is not ready within `timeoutMs`.
 */
export async function startChild(
  options: {
    name: string
    command?: string
    args: string[] | ((port: number) => string[])
    cwd: string
    env: NodeJS.ProcessEnv
    timeoutMs?: number
    /** Stop it only after every other child. */
    service?: boolean
    /** Listen on this port rather than a free one (a service started again where it was). */
    port?: number
    /** Drop its output (a service whose start-up notices say nothing to the reader). */
    quiet?: boolean
  } & ({ readyPath: string } | { ready: (port: number) => Promise<boolean> }),
): Promise<Child> {
  const port = options.port ?? (await freePort())
  const args = typeof options.args === 'function' ? options.args(port) : options.args
  const child = spawn(options.command ?? process.execPath, args, {
    cwd: options.cwd,
    env: { ...options.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', options.quiet ? 'ignore' : 'inherit'],
    detached: true,
  })
  children.add(child)
  byPid.set(child.pid as number, child)
  if (options.service) services.add(child)
  let exit: string | null = null
  child.once('exit', (code, signal) => {
    children.delete(child)
    byPid.delete(child.pid as number)
    exit = signal ? `signal ${signal}` : `code ${code}`
  })
  child.once('error', (error) => {
    exit = error.message
  })

  const url = `http://127.0.0.1:${port}`
  const isReady =
    'readyPath' in options
      ? () =>
          fetch(url + options.readyPath, { signal: AbortSignal.timeout(2000) }).then(
            (response) => response.status === 200,
            () => false,
          )
      : () => options.ready(port).catch(() => false)
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (await isReady()) break
    if (exit !== null) throw new Error(`${options.name} exited (${exit}) before it was ready`)
    if (Date.now() > deadline) {
      await stopChild(child)
      const waitedFor = 'readyPath' in options ? `GET ${options.readyPath} never answered 200` : 'never ready'
      throw new Error(`${options.name} not ready: ${waitedFor}`)
    }
    await sleep(200)
  }
  return { name: options.name, url, pid: child.pid as number }
}

/** Whether a child is still running (it has not exited, by itself or otherwise). */
export const running = (child: Child): boolean => byPid.has(child.pid)

/**
 * Stops one child and waits for its exit: SIGTERM (then SIGKILL if it hangs), or `SIGKILL` at once, as
 * a crash would.
 */
export function stop(child: Child, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const process = byPid.get(child.pid)
  if (!process) return Promise.resolve()
  if (signal === 'SIGTERM') return stopChild(process)
  const exited = new Promise<void>((resolve) => process.once('exit', () => resolve()))
  process.kill('SIGKILL')
  return exited
}

/** Stops every child still running: the servers and workers at once, then the services they use. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].filter((child) => !services.has(child)).map(stopChild))
  await Promise.all([...children].map(stopChild))
}

function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

/** A process and its descendants (a cluster primary's web processes), from /proc. */
export function processTree(pid: number): number[] {
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
  return [pid, ...children.flatMap(processTree)]
}

export type MemoryPeaks = {
  /** The largest RSS sampled of each process, in bytes, named by its group and pid. */
  processes: { name: string; peakBytes: number }[]
  /** The largest sum of the sampled RSS of every process of every group at one moment. */
  totalPeakBytes: number
}

/**
 * Samples the RSS of each group's process tree every 250 ms until `stop()`. Unlike VmHWM this leaves
 * out start-up (migrations, seeding), so it is the figure under load.
 */
export function watchMemory(groups: Child[]): { stop(): MemoryPeaks } {
  const peaks = new Map<number, { name: string; peakBytes: number }>()
  let totalPeakBytes = 0
  const sample = () => {
    let total = 0
    for (const group of groups) {
      for (const pid of processTree(group.pid)) {
        const rss = statusBytes(pid, 'VmRSS')
        if (rss === null) continue
        total += rss
        const name = pid === group.pid ? group.name : `${group.name}: child ${pid}`
        const peak = peaks.get(pid)
        if (!peak || rss > peak.peakBytes) peaks.set(pid, { name, peakBytes: rss })
      }
    }
    totalPeakBytes = Math.max(totalPeakBytes, total)
  }
  sample()
  const timer = setInterval(sample, 250)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return { processes: [...peaks.values()], totalPeakBytes }
    },
  }
}
