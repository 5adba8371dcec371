// Shown when a page fails to load or throws while rendering (an old tab after a deploy, say).
import { buttonClass } from '../ui/controls'

export function RouteError() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-2xl font-bold text-slate-900">This page could not be shown</h1>
      <p className="mt-3 text-slate-700">
        Tessera may have been updated since the page was opened. Reloading usually fixes it.
      </p>
      <button
        type="button"
        className={buttonClass('primary', 'mt-6')}
        onClick={() => window.location.reload()}
      >
        Reload
      </button>
    </main>
  )
}
