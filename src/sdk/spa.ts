import type { TrackerOptions } from './options.js'

type Mode = NonNullable<TrackerOptions['spa']>

/**
 * What makes two URLs the same route. History mode: path and query, not the
 * hash (an in-page anchor is no new page). Hash mode: the hash route too,
 * where `''`, `#` and `#/` are all the root, because a hash router turns `/`
 * into `/#/` on start (plausible-tracker#58).
 */
export function routeKey(url: string, mode: Mode): string {
  const { pathname, search, hash } = new URL(url)
  return pathname + search + (mode == 'hash' ? hash.replace(/^#?\/?/, '/') : '')
}

/**
 * Calls `changed` after every history change a router can make. Whether the
 * route really changed is the caller's question (routers call replaceState
 * for scroll state without changing route), so this only listens.
 */
export function watchHistory(mode: Mode, changed: () => void): void {
  const notify = () => {
    try {
      changed()
    } catch {}
  }
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      notify()
      return result
    }
  }
  addEventListener('popstate', notify)
  if (mode == 'hash') addEventListener('hashchange', notify)
}
