import Cookies from 'js-cookie'
import { TRACKERS } from '../../../src/sdk/tracker.js'

/** Moves the happy-dom page to `url` and forgets every cookie, stored value and tracker of earlier tests. */
export function freshPage(url: string): void {
  for (const name of Object.keys(Cookies.get())) {
    // A cookie set for a parent domain goes only when removed with that domain.
    const labels = location.hostname.split('.')
    for (let i = 0; i < labels.length; i++) Cookies.remove(name, { domain: labels.slice(i).join('.') })
    Cookies.remove(name)
  }
  ;(window as any).happyDOM.setURL(url)
  localStorage.clear()
  reloadPage()
}

/**
 * What a reload does to the SDK: the next page is a new window, so it has no
 * tracker yet; cookies and localStorage stay. (The old tracker's listeners stay
 * on happy-dom's one window: tests opt old trackers out when they end.)
 */
export function reloadPage(): void {
  delete (window as any)[TRACKERS]
}
