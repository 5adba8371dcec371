// The Redis connection shared by cache, sessions, counters and the queue when REDIS_URL is set.

import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'

export type { Redis }

export function openRedis(
  url: string,
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>,
  keyPrefix?: string,
): Redis {
  const redis = new Redis(url, {
    ...(keyPrefix ? { keyPrefix } : {}),
    // Fail commands fast while disconnected instead of queueing them without bound.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  })
  // ioredis repeats the same error on every reconnection attempt: log only when the state changes.
  let healthy = true
  redis.on('error', (error) => {
    if (healthy) log.warn({ err: error }, 'redis connection lost; retrying')
    healthy = false
  })
  redis.on('ready', () => {
    if (!healthy) log.info('redis connection restored')
    healthy = true
  })
  return redis
}
