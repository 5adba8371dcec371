// Pieces the sign-in, registration, password and profile pages share: where to go after signing in,
// the narrow card the account pages sit in, and form errors that land next to the fields they name.
import type { ReactNode } from 'react'
import { Link, type LinkProps } from 'react-router'
import { ApiError } from '../../api/client'
import { describeError, fieldErrors } from '../../api/errors'
import { FOCUS } from '../../ui/controls'

/**
 * The `?next=` target after signing in: only a path on this site ("/..."), never "//host" or "/\host"
 * (both leave the site), so a crafted link cannot send someone elsewhere once they are signed in.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/'
  // Control characters (a tab or newline inside "/\t/host") are dropped by URL parsers: refuse them.
  for (const char of raw) if (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127) return '/'
  return raw
}

/** A `?next=` query string that carries a target on to another account page ('' when it is "/"). */
export function nextQuery(next: string): string {
  return next === '/' ? '' : `?next=${encodeURIComponent(next)}`
}

export const TEXT_LINK = `rounded-sm font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950 ${FOCUS}`

export function TextLink(props: LinkProps) {
  return <Link className={TEXT_LINK} {...props} />
}

/** A titled box: a heading, an optional line or two under it, then its content. */
export type TitledProps = { title: string; intro?: ReactNode; children: ReactNode }

/** The narrow, centred card of the account pages, with the page's one h1. */
export function AuthCard({ title, intro, children }: TitledProps) {
  return (
    <div className="mx-auto w-full max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        {intro ? <div className="mt-2 text-sm text-slate-700">{intro}</div> : null}
        <div className="mt-6">{children}</div>
      </div>
    </div>
  )
}

/**
 * The field errors of a failed request, plus errors that come as a code without a field (a wrong
 * one-time code or password at 2FA) placed on the field they are about.
 */
export function formErrors(error: unknown, byCode: Record<string, string> = {}): Record<string, string> {
  const fields = fieldErrors(error)
  if (error instanceof ApiError) {
    const field = byCode[error.code]
    if (field && !fields[field]) fields[field] = describeError(error)
  }
  return fields
}

/**
 * The alert above a form: the error in clear words, or, when the API named fields, a pointer to them
 * and the messages of any field the form does not show.
 */
export function FormAlert({
  error,
  shown,
  byCode = {},
}: {
  error: unknown
  shown: readonly string[]
  byCode?: Record<string, string>
}) {
  if (!error) return null
  const fields = formErrors(error, byCode)
  const named = Object.keys(fields)
  const unshown = named.filter((name) => !shown.includes(name))
  let text: ReactNode
  if (named.length === 0) text = describeError(error)
  else if (unshown.length === 0) text = 'Please correct the fields marked below.'
  else text = unshown.map((name) => fields[name]).join(' ')
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      {text}
    </div>
  )
}

/** True when the error is the API's answer with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && error.code === code
}

/** A red alert with our own words (ErrorAlert takes an error object). */
export function AlertBox({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      {children}
    </div>
  )
}
