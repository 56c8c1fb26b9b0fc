import Cookies from 'js-cookie'

/** Moves the happy-dom page to `url` and forgets every cookie and stored value of earlier tests. */
export function freshPage(url: string): void {
  for (const name of Object.keys(Cookies.get())) {
    // A cookie set for a parent domain goes only when removed with that domain.
    const labels = location.hostname.split('.')
    for (let i = 0; i < labels.length; i++) Cookies.remove(name, { domain: labels.slice(i).join('.') })
    Cookies.remove(name)
  }
  ;(window as any).happyDOM.setURL(url)
  localStorage.clear()
}
