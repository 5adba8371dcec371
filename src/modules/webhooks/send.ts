// One webhook request, guarded against server-side request forgery: the host is resolved here, every
// address it resolves to must be public (unless WEBHOOK_ALLOW_PRIVATE), and the connection goes to the
// address that was checked, never to a second resolution (a DNS rebinding answer). TLS still checks
// the certificate against the URL's host name. Redirects are not followed: a 3xx is a failed attempt.
import { lookup } from 'node:dns/promises'
import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { withTimeout } from '../../platform/timeout.js'
import { bareHost, nonPublicKind } from './addresses.js'

const TIMEOUT_MS = 10_000
const USER_AGENT = 'Tessera-Webhooks'

type Answer = { status: number; statusText: string }

type Target = { address: string; family: number }

/** The address to connect to for `hostname`; refuses a host with any non-public address unless allowed. */
export async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<Target> {
  const host = bareHost(hostname)
  const family = isIP(host)
  const addresses = family ? [{ address: host, family }] : await lookup(host, { all: true, verbatim: true })
  if (!allowPrivate)
    for (const { address } of addresses) {
      const kind = nonPublicKind(address)
      if (kind)
        throw new Error(
          `Refused: ${host} resolves to ${address}, a ${kind} address (WEBHOOK_ALLOW_PRIVATE is off)`,
        )
    }
  const [first] = addresses
  if (!first) throw new Error(`${host} has no address`)
  return first
}

/** A lookup that answers the checked address whatever it is asked. */
const pinnedTo =
  (target: Target): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [target])
    else callback(null, target.address, target.family)
  }

/**
 * POSTs `body` to `url` with `headers`, and answers the status once the response has been read (its
 * body is discarded). Rejects on a refused address, a network error or no complete answer in time.
 */
export async function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  allowPrivate: boolean,
): Promise<Answer> {
  const signal = AbortSignal.timeout(TIMEOUT_MS)
  const target = await withTimeout(
    resolveTarget(url.hostname, allowPrivate),
    TIMEOUT_MS,
    `The lookup of ${url.hostname}`,
  )
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': USER_AGENT,
    },
    lookup: pinnedTo(target),
    // A connection of its own: a pooled one may have been opened to another address for this host.
    agent: false,
    signal,
  }
  return new Promise((resolve, reject) => {
    const failed = (error: Error) =>
      reject(signal.aborted ? new Error(`No complete answer within ${TIMEOUT_MS / 1000} s`) : error)
    const sent = request(url, requestOptions, (response) => {
      const answer = { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' }
      response.on('error', failed)
      response.on('end', () => resolve(answer))
      response.on('close', () => {
        if (!response.complete) failed(new Error('The answer was cut off'))
      })
      response.resume()
    })
    sent.on('error', failed)
    sent.end(body)
  })
}
