import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../src/app.js'
import { parseSuperuserArgs, UsageError } from '../src/cli.js'
import { createSuperuser } from '../src/modules/accounts/create-superuser.js'
import { argon2Hasher } from '../src/modules/accounts/hasher.js'
import { users } from '../src/modules/accounts/tables.js'
import type { DatabaseHandle } from '../src/platform/db/index.js'
import { AppError } from '../src/platform/errors.js'
import { login, STRONG_PASSWORD, uniqueName } from './helpers/accounts.js'
import { openTestDatabase, testConfig } from './helpers/app.js'

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('createSuperuser', () => {
  let database: DatabaseHandle
  let app: App

  beforeAll(async () => {
    database = await openTestDatabase()
    app = await buildApp(testConfig(), { database, redis: null })
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('creates a platform admin who logs in and lists the users', async () => {
    const username = uniqueName('boss')
    const email = `${username}@example.com`
    const created = await createSuperuser(database.db, argon2Hasher, {
      username,
      email,
      password: STRONG_PASSWORD,
    })
    expect(created).toMatchObject({
      username,
      email,
      role: 'admin',
      isStaff: true,
      isSuperuser: true,
      isActive: true,
      emailVerified: true,
    })
    expect(created.password).toMatch(/^\$argon2id\$/)

    const admin = await login(app, { username, password: STRONG_PASSWORD })
    expect(admin.id).toBe(created.id)
    const response = await app.inject({ url: '/api/users/', headers: admin.auth })
    expect(response.statusCode).toBe(200)
    const listed = response.json().data.find((user: { id: string }) => user.id === created.id)
    expect(listed).toMatchObject({ username, role: 'admin', is_staff: true, email_verified: true })
  })

  it('refuses a weak password without force, and accepts it with force', async () => {
    const username = uniqueName('weak')
    const input = { username, email: `${username}@example.com`, password: 'password' }
    const error = await refusal(createSuperuser(database.db, argon2Hasher, input))
    expect(error).toMatchObject({ statusCode: 400, code: 'validation_error' })
    expect(error.errors?.password).toContain('This password is too common.')
    expect(await database.db.select().from(users).where(eq(users.username, username))).toEqual([])

    const created = await createSuperuser(database.db, argon2Hasher, { ...input, force: true })
    expect(created).toMatchObject({ username, role: 'admin', isSuperuser: true })
    await expect(login(app, { username, password: 'password' })).resolves.toMatchObject({ id: created.id })
  })

  it('refuses a duplicate username or email, case-insensitively', async () => {
    const username = uniqueName('dup')
    const email = `${username}@example.com`
    await createSuperuser(database.db, argon2Hasher, { username, email, password: STRONG_PASSWORD })

    const sameName = await refusal(
      createSuperuser(database.db, argon2Hasher, {
        username: username.toUpperCase(),
        email: `other-${email}`,
        password: STRONG_PASSWORD,
      }),
    )
    expect(sameName.errors).toEqual({ username: ['A user with that username already exists.'] })

    const sameEmail = await refusal(
      createSuperuser(database.db, argon2Hasher, {
        username: `${username}x`,
        email: email.toUpperCase(),
        password: STRONG_PASSWORD,
      }),
    )
    expect(sameEmail.errors).toEqual({ email: ['A user with that email already exists.'] })
  })

  it('validates the username and email like registration', async () => {
    const error = await refusal(
      createSuperuser(database.db, argon2Hasher, {
        username: 'not a valid name!',
        email: 'not-an-email',
        password: STRONG_PASSWORD,
      }),
    )
    expect(Object.keys(error.errors ?? {}).sort()).toEqual(['email', 'username'])

    const tooLong = await refusal(
      createSuperuser(database.db, argon2Hasher, {
        username: 'a'.repeat(151),
        email: 'long@example.com',
        password: STRONG_PASSWORD,
      }),
    )
    expect(Object.keys(tooLong.errors ?? {})).toEqual(['username'])

    // A username with `@` would shadow an email address at login.
    const withAt = await refusal(
      createSuperuser(database.db, argon2Hasher, {
        username: `${uniqueName('boss')}@example.com`,
        email: `${uniqueName('boss')}@example.com`,
        password: STRONG_PASSWORD,
      }),
    )
    expect(Object.keys(withAt.errors ?? {})).toEqual(['username'])

    const empty = await refusal(
      createSuperuser(database.db, argon2Hasher, { username: '', email: '', password: '', force: true }),
    )
    expect(Object.keys(empty.errors ?? {}).sort()).toEqual(['email', 'password', 'username'])
  })
})

describe('createsuperuser arguments', () => {
  const all = ['--username', 'boss', '--email', 'boss@example.com', '--password', STRONG_PASSWORD]

  it('reads all three fields and --force without prompting', () => {
    expect(parseSuperuserArgs(all, { interactive: false })).toEqual({
      username: 'boss',
      email: 'boss@example.com',
      password: STRONG_PASSWORD,
      force: false,
      missing: [],
    })
    expect(parseSuperuserArgs([...all, '--force'], { interactive: false })).toMatchObject({ force: true })
    expect(parseSuperuserArgs(['--username=boss'], { interactive: true })).toMatchObject({
      username: 'boss',
      missing: ['email', 'password'],
    })
  })

  it('names what is missing when stdin is not a terminal', () => {
    const call = () => parseSuperuserArgs(['--username', 'boss'], { interactive: false })
    expect(call).toThrow(UsageError)
    expect(call).toThrow(/missing --email, --password: stdin is not a terminal/)
    expect(() => parseSuperuserArgs([], { interactive: false })).toThrow(
      /missing --username, --email, --password/,
    )
  })

  it('refuses unknown options and stray arguments', () => {
    expect(() => parseSuperuserArgs([...all, '--admin'], { interactive: false })).toThrow(UsageError)
    expect(() => parseSuperuserArgs([...all, 'extra'], { interactive: false })).toThrow(UsageError)
    expect(() => parseSuperuserArgs(['--username'], { interactive: true })).toThrow(UsageError)
  })
})
