// `npm start`: the HTTP server. With WEB_CONCURRENCY above 1 this process is a cluster primary that only
// forks the web processes and restarts any that dies; it never loads the app, so it stays small.
import cluster from 'node:cluster'
import { loadConfigOrExit } from './platform/config.js'

function forkWorkers(count: number): void {
  for (let i = 0; i < count; i++) cluster.fork()
  let stopping = false
  cluster.on('exit', (worker, code) => {
    if (stopping) return
    console.error(`web process ${worker.process.pid} exited (${code}); starting another`)
    cluster.fork()
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    })
  }
}

export async function main(): Promise<void> {
  const config = loadConfigOrExit()
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    forkWorkers(config.webConcurrency)
    return
  }
  const { runWebProcess } = await import('./web-process.js')
  await runWebProcess(config)
}
