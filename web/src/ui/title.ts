import { useEffect } from 'react'

/** Sets the tab's title to the page's name. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Tessera` : 'Tessera'
  }, [title])
}
