// The building blocks of the profile page's sections.
import { type ReactNode, useId } from 'react'
import { Notice } from '../../ui/controls'
import type { TitledProps } from '../auth/shared'

/** A titled card whose heading names it as a region (so "Password" → "Current password" is findable). */
export function Section({ title, intro, children }: TitledProps) {
  const id = useId()
  return (
    <section
      aria-labelledby={id}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {intro ? <div className="mt-1 text-sm text-slate-700">{intro}</div> : null}
      <div className="mt-4">{children}</div>
    </section>
  )
}

/** The saved-changes notice under a form's button, announced when it appears. */
export function Saved({ show, children }: { show: boolean; children: ReactNode }) {
  return <div aria-live="polite">{show ? <Notice>{children}</Notice> : null}</div>
}
