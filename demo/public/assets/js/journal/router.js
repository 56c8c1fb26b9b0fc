// A small client-side router of the kind SPA frameworks ship: links inside
// the journal become pushState, the back button is popstate, and the scroll
// position is saved into history.state with replaceState (same URL), as
// vue-router and Next.js do. Only pushState and popstate change the page.

/** Calls `render(url)` now and on every route change under `base`. */
export function startRouter(base, render) {
  const go = (href) => {
    const url = new URL(href, location.href)
    if (url.pathname + url.search == location.pathname + location.search) return
    history.pushState({ scrollY: 0 }, '', url)
    render(url)
    scrollTo(0, 0)
  }

  document.addEventListener('click', (event) => {
    const a = event.target.closest('a[href]')
    if (!a || a.target || event.ctrlKey || event.metaKey || event.shiftKey || event.button != 0) return
    const url = new URL(a.href, location.href)
    if (url.origin != location.origin || !(url.pathname == base || url.pathname.startsWith(`${base}/`))) return
    event.preventDefault()
    go(url.href)
  })

  addEventListener('popstate', () => {
    render(new URL(location.href))
    scrollTo(0, history.state?.scrollY ?? 0)
  })

  let saving = 0
  addEventListener('scroll', () => {
    clearTimeout(saving)
    saving = setTimeout(() => history.replaceState({ ...history.state, scrollY: Math.round(scrollY) }, ''), 150)
  })

  render(new URL(location.href))
  return { go }
}
