import type { TrackerOptions } from './options.js'

/**
 * What makes two URLs the same route. History mode: path and query, not the
 * hash (an in-page anchor is no new page). Hash mode: the hash route too,
 * where `''`, `#` and `#/` are all the root, because a hash router turns `/`
 * into `/#/` on start (plausible-tracker#58).
 */
export const routeKey = ({ pathname, search, hash }: URL | Location, mode: TrackerOptions['spa']): string =>
  pathname + search + (mode == 'hash' ? hash.replace(/^#?\/?/, '/') : '')

/**
 * Calls `view` now, then after each history change that lands on a new
 * route. Routers call replaceState to save scroll state without changing
 * route, and the back button fires popstate once: neither makes a second view
 * of the same route. `view` must not throw, since it runs inside the router's
 * own pushState call.
 */
export function watchRoutes(mode: TrackerOptions['spa'], view: () => void): void {
  let last = ''
  const check = () => {
    const route = routeKey(location, mode)
    if (route != last) (last = route), view()
  }
  check()
  if (!mode) return
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args)
      check()
    }
  }
  addEventListener('popstate', check)
  if (mode == 'hash') addEventListener('hashchange', check)
}
