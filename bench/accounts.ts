// Accounts in the bench: a user whose token the authenticated scenarios carry, and the login latency
// (sequential logins: each one runs a real Argon2id verification).
import { randomBytes } from 'node:crypto'

export type BenchUser = { username: string; password: string; access: string }

const PASSWORD = 'bench-Password-for-load-9'

async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; json: { data?: Record<string, unknown> } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as { data?: Record<string, unknown> } }
}

/** The username of seeded bench user `n` (src/modules/seed/bench.ts). */
export const benchUsername = (n: number) => `bench_user_${n}`

/** Logs in and returns the access token. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const { status, json } = await post(`${baseUrl}/api/auth/login/`, { username, password })
  if (status !== 200) throw new Error(`bench login of ${username} failed (${status})`)
  return json.data?.access as string
}

export async function registerBenchUser(baseUrl: string): Promise<BenchUser> {
  const username = `bench_${randomBytes(4).toString('hex')}`
  const { status, json } = await post(`${baseUrl}/api/auth/register/`, {
    username,
    email: `${username}@bench.example`,
    password: PASSWORD,
  })
  if (status !== 201) throw new Error(`could not register the bench user (${status})`)
  const tokens = json.data?.tokens as { access: string }
  return { username, password: PASSWORD, access: tokens.access }
}

/** Median and worst of `count` sequential logins, in milliseconds. */
export async function loginLatency(baseUrl: string, user: BenchUser, count = 20) {
  const timings: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const { status } = await post(`${baseUrl}/api/auth/login/`, {
      username: user.username,
      password: user.password,
    })
    timings.push(performance.now() - started)
    if (status !== 200) throw new Error(`bench login failed (${status})`)
  }
  timings.sort((a, b) => a - b)
  const middle = timings.length / 2
  const median =
    timings.length % 2
      ? (timings[Math.floor(middle)] ?? 0)
      : ((timings[middle - 1] ?? 0) + (timings[middle] ?? 0)) / 2
  return { count, medianMs: median, maxMs: timings.at(-1) ?? 0 }
}
