// With WEB_CONCURRENCY above 1 a scrape reaches one web process at random, whose own metrics hold only
// its share of the requests. That process asks the cluster primary, over the IPC channel, to gather
// every web process's own metrics and sums them (routes.ts). The primary only relays messages: it loads
// neither prom-client nor the app (server.ts). A web process that does not report within GATHER_MS is
// left out of that scrape.
import type { Worker } from 'node:cluster'

const GATHER = 'tessera:metrics:gather'
const REPORT = 'tessera:metrics:report'
const REPORTED = 'tessera:metrics:reported'
const GATHERED = 'tessera:metrics:gathered'

export const GATHER_MS = 2000

type Message = { type?: unknown; id?: unknown; metrics?: unknown; reports?: unknown }

/** The side of node:cluster the primary uses (an argument, for tests). */
export type Primary = {
  on(event: 'message', listener: (worker: Worker, message: Message) => void): unknown
  readonly workers?: NodeJS.Dict<Worker>
}

/** The side of the IPC channel a web process uses: `process` in a cluster worker. */
export type Channel = {
  send?(message: unknown): unknown
  on(event: 'message', listener: (message: Message) => void): unknown
  off(event: 'message', listener: (message: Message) => void): unknown
}

/** In the primary: gathers the web processes' reports for whichever of them asks. */
export function relayMetrics(primary: Primary): void {
  let nextId = 0
  const gathering = new Map<number, (metrics: unknown) => void>()
  primary.on('message', (asker, message) => {
    if (message?.type === REPORTED) gathering.get(message.id as number)?.(message.metrics)
    if (message?.type !== GATHER) return
    const id = nextId++
    const workers = Object.values(primary.workers ?? {}).filter((worker) => worker?.isConnected())
    const reports: unknown[] = []
    const finish = () => {
      clearTimeout(deadline)
      gathering.delete(id)
      if (asker.isConnected()) asker.send({ type: GATHERED, id: message.id, reports })
    }
    const deadline = setTimeout(finish, GATHER_MS)
    gathering.set(id, (metrics) => {
      reports.push(metrics)
      if (reports.length === workers.length) finish()
    })
    for (const worker of workers) worker?.send({ type: REPORT, id })
  })
}

/** In a web process: answers the primary's requests with `report()`; returns how to stop answering. */
export function answerReports(channel: Channel, report: () => Promise<unknown>): () => void {
  const listener = (message: Message) => {
    if (message?.type !== REPORT) return
    report().then(
      (metrics) => channel.send?.({ type: REPORTED, id: message.id, metrics }),
      () => channel.send?.({ type: REPORTED, id: message.id, metrics: [] }),
    )
  }
  channel.on('message', listener)
  return () => channel.off('message', listener)
}

let nextRequest = 0

/** In a web process: every web process's report (its own included), through the primary. */
export function gatherReports(channel: Channel): Promise<unknown[]> {
  const id = nextRequest++
  const send = channel.send?.bind(channel)
  if (!send) return Promise.reject(new Error('no IPC channel to the cluster primary'))
  return new Promise((resolve, reject) => {
    const listener = (message: Message) => {
      if (message?.type !== GATHERED || message.id !== id) return
      done()
      resolve(Array.isArray(message.reports) ? message.reports : [])
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error('the cluster primary did not answer'))
    }, GATHER_MS + 1000)
    const done = () => {
      clearTimeout(timer)
      channel.off('message', listener)
    }
    channel.on('message', listener)
    send({ type: GATHER, id })
  })
}
