import type { TrackerOptions } from './options.js'

/**
 * Calls `view` now, then after each history change that lands on a new
 * route. A route is the address up to its `#`, plus in hash mode the hash
 * up to a second `#` (an anchor inside the route), where `''`, `#` and `#/`
 * are all the root because a hash router turns `/` into `/#/` on start
 * (plausible-tracker#58). Routers call replaceState to save
 * scroll state without changing route, and the back button fires popstate
 * once: neither makes a second view of the same route. `view` must not
 * throw: it runs inside the router's own pushState call.
 */
export function watchRoutes(mode: TrackerOptions['spa'], view: () => void): void {
  let last = ''
  const check = () => {
    const [page, hash = ''] = location.href.split('#')
    const route = page + (mode == 'hash' ? hash.replace(/^\/?/, '/') : '')
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
  // In history mode the route ignores the hash, so this adds no view there.
  addEventListener('hashchange', check)
}
