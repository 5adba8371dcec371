// Form controls: every field has a visible label, its hint and the server's error tied to it with
// aria-describedby, and aria-invalid when the API named it.
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react'

type FieldProps = { label: string; error?: string | undefined; hint?: ReactNode }

function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}

function FieldShell({ id, label, error, hint, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

const CONTROL =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-500 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/40 aria-[invalid=true]:border-red-600 disabled:bg-slate-100'

/** The id of a field's control (its own or a generated one) and the props that tie it to its label, hint and error. */
function useControl(id: string | undefined, error: string | undefined, hint: ReactNode) {
  const generated = useId()
  const fieldId = id ?? generated
  return {
    id: fieldId,
    className: CONTROL,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(fieldId, error, hint),
  }
}

export function TextField({
  label,
  error,
  hint,
  id,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const control = useControl(id, error, hint)
  return (
    <FieldShell id={control.id} label={label} error={error} hint={hint}>
      <input {...control} {...input} />
    </FieldShell>
  )
}

export function TextArea({
  label,
  error,
  hint,
  id,
  ...textarea
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const control = useControl(id, error, hint)
  return (
    <FieldShell id={control.id} label={label} error={error} hint={hint}>
      <textarea {...control} {...textarea} />
    </FieldShell>
  )
}

export function SelectField({
  label,
  error,
  hint,
  id,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const control = useControl(id, error, hint)
  return (
    <FieldShell id={control.id} label={label} error={error} hint={hint}>
      <select {...control} {...select}>
        {children}
      </select>
    </FieldShell>
  )
}
