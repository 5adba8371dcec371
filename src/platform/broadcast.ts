// Tells every process that shares one Redis that something changed: a publish on a channel, heard by
// a subscriber on a connection of its own (one in subscribe mode cannot run other commands). Without
// Redis there is a single process and nobody else to tell.
import { afterCommit } from './db/request-transaction.js'
import type { Redis } from './redis.js'

export type Broadcast = {
  /**
   * Tells the other processes, once the change is committed (db/request-transaction.ts); a failure is
   * swallowed.
   */
  publish(message: string): Promise<void>
  close(): void
}

/**
 * Subscribes to `channel`. `onMessage` hears each message; `onGap` runs whenever the subscription
 * (re)connects, since messages published while it was away are lost and listeners must drop what
 * they hold.
 */
export function openBroadcast(
  redis: Redis | null,
  channel: string,
  onMessage: (message: string) => void,
  onGap: () => void,
): Broadcast {
  if (!redis) return { publish: async () => {}, close: () => {} }
  const subscriber = redis.duplicate()
  // Its connection problems are the shared connection's, which logs them once.
  subscriber.on('error', () => {})
  subscriber.on('ready', onGap)
  subscriber.on('message', (_channel: string, message: string) => onMessage(message))
  subscriber.subscribe(channel).catch(() => {})
  return {
    async publish(message) {
      await afterCommit(() => redis.publish(channel, message).catch(() => {}))
    },
    close() {
      subscriber.disconnect()
    },
  }
}
