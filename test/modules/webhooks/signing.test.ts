// Standard Webhooks signing, against the specification's published test vector, and the secrets:
// `whsec_` + base64 of 32 random bytes, sealed at rest with a key derived from SECRET_KEY.
import { describe, expect, it } from 'vitest'
import {
  newWebhookSecret,
  secretBox,
  signedHeaders,
  webhookSignature,
} from '../../../src/modules/webhooks/signature.js'

describe('webhookSignature', () => {
  it('matches the Standard Webhooks test vector', () => {
    expect(
      webhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('gives the three headers of a request', () => {
    expect(signedHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1614265330, '{}')).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1614265330',
      'webhook-signature': webhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_1',
        1614265330,
        '{}',
      ),
    })
  })

  it('refuses a secret without its prefix', () => {
    expect(() => webhookSignature('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'id', 1, '')).toThrow(/whsec_/)
  })
})

describe('secrets', () => {
  it('are whsec_ and the base64 of 32 random bytes, never twice the same', () => {
    const secret = newWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32)
    expect(newWebhookSecret()).not.toBe(secret)
  })

  it('are sealed under SECRET_KEY: opened with the same key, refused with another', () => {
    const box = secretBox('a'.repeat(32))
    const sealed = box.seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(sealed).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(box.open(sealed)).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(() => secretBox('b'.repeat(32)).open(sealed)).toThrow()
  })
})
