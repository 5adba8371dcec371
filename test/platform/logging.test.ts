// What reaches the logs: never query parameters, never a secret's value.
import { sql } from 'drizzle-orm'
import { pino } from 'pino'
import { beforeAll, describe, expect, it } from 'vitest'
import { loggerOptions, REDACTED, serializeError } from '../../src/platform/logging.js'
import { STRONG_PASSWORD, uniqueName } from '../helpers/accounts.js'
import { useTestApp } from '../helpers/app.js'

/** A log destination that keeps every line. */
function captureLines() {
  const lines: string[] = []
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

describe('log lines', () => {
  it('redact the value of every key naming a secret, at any depth, and the credential headers', () => {
    const capture = captureLines()
    const log = pino(loggerOptions('info'), capture.stream)
    log.child({ token: 'bound-secret' }).info(
      {
        body: {
          username: 'kept',
          new_password: 'pw-1',
          profile: { old_password: 'pw-2', nested: [{ Password: 'pw-3', api_token: 'tk-1' }] },
          pair: { access: 'tk-2', refresh: 'tk-3' },
          recovery_codes: ['rc-1', 'rc-2'],
          totp_secret: 'sec-1',
          otp: '123456',
        },
        req: {
          headers: { authorization: 'Bearer tk-4', cookie: 'sid=ck-1', 'x-csrftoken': 'cs-1', host: 'kept' },
        },
      },
      'a request',
    )
    const [line = ''] = capture.lines
    for (const secret of ['bound-secret', 'pw-', 'tk-', 'rc-', 'sec-1', '123456', 'ck-1', 'cs-1'])
      expect(line).not.toContain(secret)
    const [record] = capture.records()
    expect(record).toMatchObject({
      msg: 'a request',
      token: REDACTED,
      body: {
        username: 'kept',
        new_password: REDACTED,
        profile: { old_password: REDACTED, nested: [{ Password: REDACTED, api_token: REDACTED }] },
        pair: { access: REDACTED, refresh: REDACTED },
        recovery_codes: REDACTED,
        totp_secret: REDACTED,
        otp: REDACTED,
      },
      req: {
        headers: { authorization: REDACTED, cookie: REDACTED, 'x-csrftoken': REDACTED, host: 'kept' },
      },
    })
  })

  it('leave a line without secrets as it is', () => {
    const capture = captureLines()
    pino(loggerOptions('info'), capture.stream).info({ user: { id: 7 } }, 'plain')
    expect(capture.records()[0]).toMatchObject({ user: { id: 7 }, msg: 'plain' })
  })

  it('serialize an error whose cause chain loops, up to a depth', () => {
    const error = new Error('outer')
    ;(error as { cause?: unknown }).cause = error
    let serialized = serializeError(error) as { cause?: unknown; message?: string }
    for (let level = 0; level < 6; level++) serialized = serialized.cause as typeof serialized
    expect(serialized).toEqual({ type: 'Error', message: '(nested too deep to log)' })
  })
})

describe('database errors', () => {
  const capture = captureLines()
  const ctx = useTestApp({ config: { LOG_LEVEL: 'info' }, deps: { logStream: capture.stream } })

  beforeAll(async () => {
    // A rule the database holds and the code does not know (as a migration can add): the insert of the
    // new user fails with a check violation the registration does not translate.
    await ctx.app.deps.database.db.execute(
      sql`alter table users add constraint users_username_not_reserved check (username not like 'reserved%') not valid`,
    )
  })

  it('at registration: logged with SQLSTATE, statement and request id, no parameters or password hash', async () => {
    const username = uniqueName('reserved')
    const email = `${uniqueName('mailbox')}@example.com`
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username, email, password: STRONG_PASSWORD, first_name: 'Firstname-Param' },
    })
    expect(response.statusCode).toBe(500)
    const requestId = response.json().request_id
    expect(requestId).toEqual(expect.any(String))

    const text = capture.lines.join('')
    for (const value of [
      '$argon2',
      STRONG_PASSWORD,
      username,
      email,
      'Firstname-Param',
      'params',
      'Failing row',
    ])
      expect(text).not.toContain(value)
    const failure = capture.records().find((record) => record.level === 50)
    expect(failure).toMatchObject({
      request_id: requestId,
      err: {
        message: 'Failed query (SQLSTATE 23514)',
        code: '23514',
        statement: expect.stringMatching(/^insert into "users"/),
        cause: { code: '23514', table: 'users', constraint: 'users_username_not_reserved' },
      },
    })
  })

  it('withholds the message of a data exception, which quotes the value that did not fit', async () => {
    const failure = await ctx.app.deps.database.db
      .execute(sql`select ${'not-a-uuid-but-a-secret'}::uuid`)
      .then(
        () => null,
        (error: unknown) => error,
      )
    const logged = JSON.stringify(serializeError(failure))
    expect(logged).not.toContain('not-a-uuid-but-a-secret')
    expect(JSON.parse(logged)).toMatchObject({
      code: '22P02',
      statement: 'select $1::uuid',
      cause: { code: '22P02', message: expect.stringContaining('message withheld') },
    })
  })
})
