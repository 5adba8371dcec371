// Idempotency-Key on every POST, PUT, PATCH and DELETE under /api/ (API.md "Idempotent writes"). A
// request with a key runs in one transaction with the record of its answer (db/request-transaction.ts):
// the answer is kept exactly when the request's writes are, so a crash between the two cannot let a
// retry write twice. Requests with the same caller, method, path and key take turns on the record's
// primary key: a retry that arrives while the first runs waits for it (up to WAIT_FOR_FIRST) and
// replays its answer. Without the header nothing changes.
import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendAsyncHookHandler,
  preValidationAsyncHookHandler,
  RouteHandlerMethod,
} from 'fastify'
import type { Clock } from '../../platform/clock.js'
import { databaseError } from '../../platform/db/errors.js'
import { type Database, queryRows } from '../../platform/db/index.js'
import { openRequestTransaction, type RequestTransaction } from '../../platform/db/request-transaction.js'
import { idempotencyInProgress, idempotencyKeyReused, validationFailed } from '../../platform/errors.js'
import { idempotencyKeys } from './tables.js'

export const KEPT_MS = 24 * 3_600_000
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/
// How long a retry waits for the first request with its key before answering 409 in progress.
const WAIT_FOR_FIRST = '5s'
const LOCK_TIMEOUT = '55P03'

type Identity = { caller: string; method: string; path: string; key: string; fingerprint: string }

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's key and body fingerprint, when it carries an Idempotency-Key. */
    idempotencyKey?: Omit<Identity, 'caller'>
    /** Its open transaction, committed with the record of its answer when the answer is sent. */
    idempotentWrite?: { transaction: RequestTransaction; identity: Identity }
  }
}

function callerOf(request: FastifyRequest): string {
  return request.user ? `user:${request.user.id}` : `ip:${request.ip}`
}

const keyOf = (identity: Identity) =>
  and(
    eq(idempotencyKeys.caller, identity.caller),
    eq(idempotencyKeys.method, identity.method),
    eq(idempotencyKeys.path, identity.path),
    eq(idempotencyKeys.key, identity.key),
  )

/**
 * Claims the key in the request's transaction: a row of its own, not yet answered (status 0), or an
 * expired one taken over. A request holding the key uncommitted makes this wait on the primary key
 * (at most WAIT_FOR_FIRST, lock_timeout); once it commits, the key's kept record is answered instead.
 */
async function claim(transaction: RequestTransaction, identity: Identity, now: Date) {
  const { tx } = transaction
  const claimed = await queryRows<{ claimed: number }>(
    tx,
    sql`insert into ${idempotencyKeys} (caller, method, path, key, fingerprint, status, content_type, body, created_at, expires_at)
      select ${identity.caller}, ${identity.method}, ${identity.path}, ${identity.key}, ${identity.fingerprint}, 0, '', '', ${now}, ${now}
      from (select set_config('lock_timeout', ${WAIT_FOR_FIRST}, true)) as wait
      on conflict (caller, method, path, key) do update set fingerprint = excluded.fingerprint,
        status = 0, content_type = '', body = '', created_at = excluded.created_at, expires_at = excluded.expires_at
        where ${idempotencyKeys.expiresAt} <= ${now}
      returning 1 as claimed`,
  )
  if (claimed.length > 0) return null
  const [kept] = await tx.select().from(idempotencyKeys).where(keyOf(identity))
  return kept ?? null
}

function replay(reply: FastifyReply, kept: { status: number; contentType: string; body: string }) {
  return reply.code(kept.status).header('idempotent-replayed', 'true').type(kept.contentType).send(kept.body)
}

/** The answer is kept (and the request's writes committed) before it leaves; a 5xx is neither. */
async function keepAnswer(
  write: NonNullable<FastifyRequest['idempotentWrite']>,
  status: number,
  contentType: string,
  payload: unknown,
  now: Date,
): Promise<void> {
  if (status >= 500) return write.transaction.rollback()
  const record = {
    status,
    contentType,
    body: typeof payload === 'string' ? payload : '',
    createdAt: now,
    expiresAt: new Date(now.getTime() + KEPT_MS),
  }
  try {
    await write.transaction.tx.update(idempotencyKeys).set(record).where(keyOf(write.identity))
  } catch (error) {
    await write.transaction.rollback()
    throw error
  }
  await write.transaction.commit()
}

const asList = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : ([hooks].flat() as T[]))

/**
 * Must run before any route is added: routes added earlier take no keys. Only POST, PUT, PATCH and
 * DELETE routes under /api/ get the hooks; every other request pays nothing.
 */
export function registerIdempotency(app: FastifyInstance, deps: { root: Database; clock: Clock }): void {
  // Before validation: the fingerprint is of the body as sent, not as defaults fill it in.
  const readKey: preValidationAsyncHookHandler = async (request) => {
    const key = request.headers['idempotency-key']
    if (key === undefined || !UNSAFE.has(request.method)) return
    if (typeof key !== 'string' || !KEY_FORMAT.test(key))
      throw validationFailed({ 'Idempotency-Key': ['Use 1 to 255 visible ASCII characters.'] })
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex')
    request.idempotencyKey = {
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      key,
      fingerprint,
    }
  }
  const onSend: onSendAsyncHookHandler = async (request, reply, payload) => {
    const write = request.idempotentWrite
    if (!write) return payload
    request.idempotentWrite = undefined
    const contentType = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8')
    await keepAnswer(write, reply.statusCode, contentType, payload, deps.clock.now())
    return payload
  }
  // A request that ended without an answer sent (the client went away) keeps nothing.
  const abandon = async (request: FastifyRequest) => {
    await request.idempotentWrite?.transaction.rollback()
    request.idempotentWrite = undefined
  }

  app.addHook('onRoute', (route) => {
    if (!(route.url.startsWith('/api/') && [route.method].flat().some((name) => UNSAFE.has(name)))) return
    const handler = route.handler as RouteHandlerMethod
    route.handler = async function (this: FastifyInstance, request, reply) {
      if (!request.idempotencyKey) return handler.call(this, request, reply)
      const identity = { ...request.idempotencyKey, caller: callerOf(request) }
      const transaction = await openRequestTransaction(deps.root)
      let kept: Awaited<ReturnType<typeof claim>>
      try {
        kept = await claim(transaction, identity, deps.clock.now())
      } catch (error) {
        await transaction.rollback()
        if (databaseError(error).code === LOCK_TIMEOUT) throw idempotencyInProgress()
        throw error
      }
      if (kept) {
        await transaction.rollback()
        if (kept.fingerprint !== identity.fingerprint) throw idempotencyKeyReused()
        return replay(reply, kept)
      }
      request.idempotentWrite = { transaction, identity }
      return transaction.run(() => handler.call(this, request, reply))
    }
    // New arrays: Fastify copies a route's options for its HEAD twin.
    route.preValidation = [...asList(route.preValidation), readKey]
    route.onSend = [...asList(route.onSend), onSend]
    route.onResponse = [...asList(route.onResponse), abandon]
    route.onRequestAbort = [...asList(route.onRequestAbort), abandon]
  })
}
