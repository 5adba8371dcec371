// API errors as react-admin expects them: an HttpError whose message is the clear sentence for its
// code and whose body carries the field errors, which forms show under their fields.
import { HttpError } from 'react-admin'
import { ApiError } from '../api/client'
import { describeError, fieldErrors } from '../api/errors'

export function toHttpError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error
  const errors = fieldErrors(error)
  const fields = Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join(' ')
  const message = fields ? `${describeError(error)} ${fields}` : describeError(error)
  return new HttpError(message, error.status, { code: error.code, errors })
}
