import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  describeConfig,
  loadConfig,
  maskUrlPassword,
  settings,
} from '../../src/platform/config.js'

describe('loadConfig', () => {
  it('fills every setting from its default', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 8000,
      databaseUrl: undefined,
      redisUrl: undefined,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      trustProxy: false,
      webConcurrency: 1,
    })
    expect(config.dataDir).toMatch(/\/data$/)
  })

  it('parses numbers, booleans and comma lists', () => {
    const config = loadConfig({
      PORT: '9000',
      TRUST_PROXY: 'yes',
      CORS_ALLOWED_ORIGINS: 'https://a.test, https://b.test',
    })
    expect(config.port).toBe(9000)
    expect(config.trustProxy).toBe(true)
    expect(config.corsAllowedOrigins).toEqual(['https://a.test', 'https://b.test'])
  })

  it('names every bad variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })
    expect(attempt).toThrow(ConfigError)
    expect(attempt).toThrow(/PORT="eighty"/)
    expect(attempt).toThrow(/DATABASE_URL/)
    expect(attempt).toThrow(/LOG_LEVEL/)
  })

  it('requires SECRET_KEY in production, and never prints it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY: required/)
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'short-secret' })).toThrow(
      /SECRET_KEY=\(hidden\)/,
    )
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }).isProduction).toBe(true)
  })

  it('refuses several web processes on the embedded database', () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '4' })).toThrow(/WEB_CONCURRENCY/)
    expect(loadConfig({ WEB_CONCURRENCY: '4', DATABASE_URL: 'postgres://h/db' }).webConcurrency).toBe(4)
  })
})

describe('describeConfig', () => {
  it('lists every setting with secrets and URL passwords masked', () => {
    const described = Object.fromEntries(
      describeConfig({ SECRET_KEY: 'y'.repeat(40), REDIS_URL: 'redis://:s3cret@cache:6379/0' }),
    )
    expect(Object.keys(described).sort()).toEqual(Object.keys(settings).sort())
    expect(described.SECRET_KEY).toBe('********')
    expect(described.REDIS_URL).not.toContain('s3cret')
    expect(maskUrlPassword('postgres://u:pw@h/db')).toBe('postgres://u:********@h/db')
  })
})

describe('CSRF_TRUSTED_ORIGINS', () => {
  it('normalizes origins the way browsers send them, and refuses what is not one', () => {
    expect(
      loadConfig({ CSRF_TRUSTED_ORIGINS: 'https://SPA.example/, http://localhost:5173' }).csrfTrustedOrigins,
    ).toEqual(['https://spa.example', 'http://localhost:5173'])
    expect(() => loadConfig({ CSRF_TRUSTED_ORIGINS: 'spa.example' })).toThrow(/CSRF_TRUSTED_ORIGINS/)
  })
})
