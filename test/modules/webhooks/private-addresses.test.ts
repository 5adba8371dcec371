// With WEBHOOK_ALLOW_PRIVATE off (the default), an endpoint whose host name resolves to a private
// address is refused at send time: the attempt fails with the reason, the receiver listening there gets
// nothing, and the attempt is retried later like any failure (the name may resolve elsewhere then).
import { describe, expect, it } from 'vitest'
import { makeUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, businessOf, makeSession } from '../../helpers/factories.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import { deliveriesOf, makeWebhook, useReceiver } from '../../helpers/webhooks.js'

// The retry waits an hour: the log below stays at its first attempt.
const ctx = useTestApp({ config: { JOB_BACKOFF: '1h' } })
useWorker(() => ctx.app)
const receiver = useReceiver()

describe('an endpoint on a host that resolves to a loopback address', () => {
  it('is accepted when made (a host name), and refused at every send', async () => {
    const [owner, customer] = await Promise.all([makeUser(ctx.app, { role: 'creator' }), makeUser(ctx.app)])
    const business = await businessOf(ctx.app, owner)
    const session = await makeSession(ctx.app, owner)
    const port = new URL(receiver().url('/')).port
    const hook = await makeWebhook(ctx.app, owner, business.id, {
      url: `https://localhost:${port}/internal`,
      events: ['booking.created'],
    })
    await book(ctx.app, customer, session.id, '2030-03-01T10:00:00Z')

    const log = await eventually('the refused attempt recorded', async () => {
      const rows = await deliveriesOf(ctx.app, owner, business.id, hook.id)
      return rows.some((row) => row.status === 'failed') ? rows : null
    })
    expect(log.map(({ attempt, status }) => [attempt, status])).toEqual([
      [2, 'pending'],
      [1, 'failed'],
    ])
    expect(log[1]?.response_status).toBeNull()
    expect(log[1]?.error).toMatch(
      /^Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address \(WEBHOOK_ALLOW_PRIVATE is off\)$/,
    )
    expect(receiver().received).toEqual([])
  })

  it('is refused when made with a private IP address or plain http', async () => {
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const business = await businessOf(ctx.app, owner)
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/businesses/${business.id}/webhooks/`,
      headers: owner.auth,
      payload: { url: receiver().url('/internal'), events: ['booking.created'] },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual({
      url: ['Use an https URL.', 'Use a public address, not a loopback one.'],
    })
  })
})
