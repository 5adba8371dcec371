import { ButtonLink } from '../ui/controls'
import { useTitle } from '../ui/title'

export default function NotFoundPage() {
  useTitle('Page not found')
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-bold text-slate-900">Page not found</h1>
      <p className="mt-3 text-slate-700">There is nothing at this address. It may have moved.</p>
      <ButtonLink to="/" className="mt-6">
        Browse classes
      </ButtonLink>
    </div>
  )
}
