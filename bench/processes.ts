// The servers under test, as child processes. Each gets its own process group, so a Ctrl-C reaches only
// the bench, which then stops them itself (SIGTERM, then SIGKILL if they hang).
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export type Child = { name: string; url: string; pid: number }

const STOP_TIMEOUT_MS = 15_000
const children = new Set<ChildProcess>()

// Last resort when the bench dies without stopping them (uncaught error, process.exit).
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

function freePort(): Promise<number> {
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
 * Runs `node <args>` from `cwd` on a free port (env PORT, HOST=127.0.0.1) and waits until GET `readyPath`
 * answers 200. Throws if it exits first or is not ready within `timeoutMs`.
 */
export async function startChild(options: {
  name: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  readyPath: string
  timeoutMs?: number
}): Promise<Child> {
  const port = await freePort()
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...options.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  })
  children.add(child)
  let exit: string | null = null
  child.once('exit', (code, signal) => {
    children.delete(child)
    exit = signal ? `signal ${signal}` : `code ${code}`
  })
  child.once('error', (error) => {
    exit = error.message
  })

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    const status = await fetch(url + options.readyPath, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status,
      () => null,
    )
    if (status === 200) break
    if (exit !== null) throw new Error(`${options.name} exited (${exit}) before it was ready`)
    if (Date.now() > deadline) {
      await stopChild(child)
      const last = status === null ? 'no answer' : `HTTP ${status}`
      throw new Error(
        `${options.name} not ready: GET ${options.readyPath} never answered 200 (last: ${last})`,
      )
    }
    await sleep(200)
  }
  return { name: options.name, url, pid: child.pid as number }
}

/** Stops every child still running, all at once. */
export async function stopAll(): Promise<void> {
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

/** Peak resident set size of a process since it started, in bytes (Linux VmHWM); null where unknown. */
export function peakRss(pid: number): number | null {
  return statusBytes(pid, 'VmHWM')
}

/**
 * Samples a process's RSS every 250 ms until `stop()`, which returns the largest sample in bytes. Unlike
 * VmHWM this leaves out start-up (PGlite's initdb and migrations), so it is the figure under load.
 */
export function watchRss(pid: number): { stop(): number | null } {
  let peak: number | null = null
  const sample = () => {
    const rss = statusBytes(pid, 'VmRSS')
    if (rss !== null && (peak === null || rss > peak)) peak = rss
  }
  sample()
  const timer = setInterval(sample, 250)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}
