// PostgreSQL errors as both drivers report them: drizzle wraps the driver's error in `cause`.

export type DatabaseError = { code?: string; constraint?: string }

/** The driver's error under drizzle's wrapper: its SQLSTATE `code` and, for constraints, the name. */
export function databaseError(error: unknown): DatabaseError {
  return ((error as { cause?: unknown }).cause ?? error) as DatabaseError
}

/** A unique violation (23505), of `constraint` when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const { code, constraint: violated } = databaseError(error)
  return code === '23505' && (constraint === undefined || violated === constraint)
}

/** A data exception (SQLSTATE class 22): a value that does not fit its type, such as a bad cast. */
export function isDataException(error: unknown): boolean {
  const { code } = databaseError(error)
  return typeof code === 'string' && code.startsWith('22')
}

/**
 * A statement PostgreSQL gave up because of another transaction (deadlock 40P01, serialization failure
 * 40001, a lock wait past lock_timeout 55P03): nothing was written, and the same request may succeed
 * shortly.
 */
export function isTransientConflict(error: unknown): boolean {
  const { code } = databaseError(error)
  return code === '40P01' || code === '40001' || code === '55P03'
}
