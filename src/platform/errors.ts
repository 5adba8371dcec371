// The error catalogue: every error a client can see has a stable `code` and an HTTP status.
// Handlers and services throw these; one error handler (http/error-handler.ts) renders them.

export type FieldErrors = Record<string, string[]>

export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }

  toBody(): { message: string; code: string; errors?: FieldErrors } {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code }
  }
}

export const badRequest = (message: string, code = 'bad_request') => new AppError(400, code, message)

export const validationFailed = (errors: FieldErrors, message = 'Validation failed') =>
  new AppError(400, 'validation_error', message, errors)

export const notAuthenticated = (
  message = 'Authentication credentials were not provided.',
  code = 'not_authenticated',
) => new AppError(401, code, message)

export const permissionDenied = (
  message = 'You do not have permission to perform this action.',
  code = 'permission_denied',
) => new AppError(403, code, message)

export const notFound = (message = 'Not found.') => new AppError(404, 'not_found', message)

export const methodNotAllowed = (method: string, allowed: string[]) =>
  new AppError(405, 'method_not_allowed', `Method "${method}" not allowed.`, undefined, {
    allow: allowed.join(', '),
  })

export const conflict = (code: string, message: string) => new AppError(409, code, message)

export const payloadTooLarge = () =>
  new AppError(413, 'payload_too_large', 'Request body is larger than 1 MiB.')

export const unsupportedMediaType = (contentType: string | undefined) =>
  new AppError(
    415,
    'unsupported_media_type',
    contentType
      ? `Unsupported media type "${contentType}" in request.`
      : 'A request body needs Content-Type: application/json.',
  )

export const throttled = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'throttled',
    `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`,
    undefined,
    {
      'retry-after': String(retryAfterSeconds),
    },
  )

export const serverError = () => new AppError(500, 'server_error', 'A server error occurred.')

export const serviceBusy = () =>
  new AppError(503, 'service_unavailable', 'The server is busy. Try again shortly.', undefined, {
    'retry-after': '1',
  })

/** A service the request needs (the database, Redis) is away; it is usually back within seconds. */
export const serviceUnavailable = () =>
  new AppError(
    503,
    'service_unavailable',
    'The service is briefly unavailable. Try again in a few seconds.',
    undefined,
    { 'retry-after': '5' },
  )

export const idempotencyKeyReused = () =>
  new AppError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was already used with another request body.',
  )

/** The first request with this Idempotency-Key is still running; its answer will be replayed. */
export const idempotencyInProgress = () =>
  new AppError(
    409,
    'idempotency_in_progress',
    'A request with this Idempotency-Key is still running. Try again shortly.',
    undefined,
    { 'retry-after': '1' },
  )
