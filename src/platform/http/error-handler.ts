// One renderer for every error: the catalogue's AppErrors, Fastify's own (validation, body parsing,
// size), unknown routes (404) and known paths with the wrong method (405). A 5xx never shows internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isTransientConflict } from '../db/errors.js'
import {
  AppError,
  badRequest,
  type FieldErrors,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  serverError,
  serviceBusy,
  serviceUnavailable,
  unsupportedMediaType,
  validationFailed,
} from '../errors.js'
import { isServiceUnavailable } from '../unavailable.js'
import { FORMAT_MESSAGES as INPUT_FORMAT_MESSAGES, patternMessage } from './inputs.js'
import { otherMethodsFor } from './route-table.js'

type ValidationIssue = {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

const REQUIRED_MESSAGE = 'This field is required.'
const FORMAT_MESSAGES: Record<string, string> = {
  email: 'Enter a valid email address.',
  uuid: 'Must be a valid UUID.',
  'date-time': 'Enter a valid date/time with a UTC offset.',
  date: 'Enter a valid date (YYYY-MM-DD).',
  uri: 'Enter a valid URL.',
  ...INPUT_FORMAT_MESSAGES,
}

/** `/create/2/price` -> `create[2].price`: array positions in brackets, fields joined by dots. */
function fieldName(issue: ValidationIssue, context: string | undefined): string {
  const segments = issue.instancePath.split('/').filter(Boolean)
  if (issue.keyword === 'required') segments.push(String(issue.params.missingProperty ?? ''))
  const name = segments
    .filter(Boolean)
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
      '',
    )
  return name || (context === 'body' ? 'non_field_errors' : context || 'non_field_errors')
}

function issueMessage(issue: ValidationIssue): string {
  if (issue.keyword === 'required') return REQUIRED_MESSAGE
  if (issue.keyword === 'format')
    return FORMAT_MESSAGES[String(issue.params.format)] ?? 'Enter a valid value.'
  if (issue.keyword === 'enum' || issue.keyword === 'anyOf') {
    const allowed = issue.params.allowedValues
    return Array.isArray(allowed) ? `Must be one of: ${allowed.join(', ')}.` : 'Not a valid choice.'
  }
  const limit = Number(issue.params.limit)
  switch (issue.keyword) {
    case 'pattern':
      return patternMessage(String(issue.params.pattern)) ?? 'Enter a valid value.'
    case 'minLength':
      return limit === 1
        ? 'This field may not be blank.'
        : `Ensure this field has at least ${limit} characters.`
    case 'maxLength':
      return `Ensure this field has no more than ${limit} characters.`
    case 'minItems':
      return `Ensure this list has at least ${limit} item${limit === 1 ? '' : 's'}.`
    case 'maxItems':
      return `Ensure this list has no more than ${limit} items.`
  }
  const text = issue.message ?? 'Invalid value'
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/** A union's field whose string form has its own words (money): those words alone say what is wanted. */
function unionWords(issues: ValidationIssue[], path: string): string | undefined {
  const atPath = issues.filter((issue) => issue.instancePath === path)
  if (!atPath.some((issue) => issue.keyword === 'anyOf')) return undefined
  const pattern = atPath.find((issue) => issue.keyword === 'pattern')
  return pattern ? patternMessage(String(pattern.params.pattern)) : undefined
}

/** Maps every failing field to its messages (all of them, not only the first). */
export function validationErrors(issues: ValidationIssue[], context: string | undefined): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    // A union reports each branch's failure; the anyOf summary is the useful one when present.
    if (issue.keyword === 'const' || issue.keyword === 'type') {
      const siblings = issues.filter((other) => other.instancePath === issue.instancePath)
      if (siblings.some((other) => other.keyword === 'anyOf')) continue
    }
    const field = fieldName(issue, context)
    const message = unionWords(issues, issue.instancePath) ?? issueMessage(issue)
    const list = errors[field] ?? []
    if (!list.includes(message)) list.push(message)
    errors[field] = list
  }
  return errors
}

/** node-postgres could not get a pooled connection in time: the database is saturated, not broken. */
function isPoolExhausted(error: unknown): boolean {
  const cause = (error as { cause?: { message?: string } }).cause
  return /timeout exceeded when trying to connect/.test(`${(error as Error).message} ${cause?.message ?? ''}`)
}

function toAppError(
  error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string },
  request: FastifyRequest,
) {
  if (error instanceof AppError) return error
  if (error.validation) return validationFailed(validationErrors(error.validation, error.validationContext))
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge()
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request.headers['content-type'])
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('Malformed JSON in request body.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('Request body is empty but Content-Type is application/json.')
  }
  if (isPoolExhausted(error) || isTransientConflict(error)) return serviceBusy()
  if (isServiceUnavailable(error)) return serviceUnavailable()
  const status = error.statusCode ?? 500
  if (status === 413) return payloadTooLarge()
  if (status === 415) return unsupportedMediaType(request.headers['content-type'])
  if (status >= 400 && status < 500)
    return new AppError(status, status === 404 ? 'not_found' : 'bad_request', error.message)
  return null
}

async function send(reply: FastifyReply, error: AppError) {
  if (error.headers) reply.headers(error.headers)
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(error.toBody())
}

/** Answers a request no route took instead of the 404 (the web app's page), or returns null. */
export type Fallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null

export function registerErrorHandling(app: FastifyInstance, fallback: Fallback = () => null): void {
  const otherMethods = otherMethodsFor(app.routeTable)
  app.setNotFoundHandler(async (request, reply) => {
    const page = fallback(request, reply)
    if (page) return page
    const allowed = otherMethods(request.method, request.url.split('?')[0] ?? '/')
    return send(reply, allowed.length > 0 ? methodNotAllowed(request.method, allowed) : notFound())
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const known = toAppError(error, request)
    if (known) {
      if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed')
      return send(reply, known)
    }
    request.log.error({ err: error }, 'unhandled error')
    const body = { ...serverError().toBody(), request_id: request.id }
    return reply.code(500).type('application/json; charset=utf-8').send(body)
  })
}
