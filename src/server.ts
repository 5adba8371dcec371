// `npm start`: the HTTP server. With WEB_CONCURRENCY above 1 this process is a cluster primary that only
// forks the web processes, restarts any that dies and relays their metrics to the one scraped
// (modules/metrics/cluster.ts); it never loads the app, so it stays small.
import cluster from 'node:cluster'
import { relayMetrics } from './modules/metrics/cluster.js'
import { loadConfigOrExit } from './platform/config.js'

function forkWorkers(count: number): void {
  for (let i = 0; i < count; i++) cluster.fork()
  relayMetrics(cluster)
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
