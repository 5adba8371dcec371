// Security headers on every response, CORS from CORS_ALLOWED_ORIGINS. A CSP is set on HTML pages only
// (the docs set theirs); JSON responses do not need one.
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  })
  await app.register(cors, {
    origin: config.corsAllowedOrigins.length > 0 ? config.corsAllowedOrigins : false,
    credentials: true,
    exposedHeaders: ['X-Request-ID', 'Retry-After'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRFToken', 'X-Business-ID', 'X-Request-ID'],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    maxAge: 600,
  })
}
