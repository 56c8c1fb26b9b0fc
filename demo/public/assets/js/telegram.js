// "Get updates in Telegram" on the account page: a link that opens the shop's
// bot with a one-time code of this visitor, which the relay turns into the
// contact's Telegram token in eSputnik once the bot gets `/start <code>`.
//
// The link is fetched ahead, when the card appears, and put on an ordinary
// <a href>: a window.open() made after an await (the fetch) is blocked as a
// pop-up by browsers, Safari most of all, while a plain link always opens.
import { whenTracker } from './track.js'

/** A code lives TELEGRAM_LINK_TTL_MINUTES (60 by default): a page left open longer fetches a new one when seen again. */
const REFRESH_AFTER_MS = 30 * 60_000

/** The link from the SDK's tracker.telegramLink(), or from the relay itself with the SDK's visitor id. */
async function fetchLink() {
  const tracker = await whenTracker()
  if (!tracker) return undefined
  if (typeof tracker.telegramLink == 'function') return (await tracker.telegramLink()) || undefined
  const res = await fetch('/v1/telegram/link', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ v: 1, visitor: tracker.visitorId }),
  })
  return res.ok ? (await res.json()).url : undefined
}

export const telegramCard = () => `<div class="telegram-card">
    <h2>Order updates in Telegram</h2>
    <p class="muted">Tap the button and press <b>Start</b> in the bot's chat: order news then comes to Telegram too.</p>
    <a class="btn btn-ghost" data-telegram-link aria-disabled="true" target="_blank" rel="noopener">Get updates in Telegram</a>
    <p class="muted small" data-telegram-note>Preparing your link…</p>
  </div>`

/** Fills the card's link once it is fetched, and fetches a fresh one when an old page is seen again. */
export function mountTelegram(root) {
  const link = root.querySelector('[data-telegram-link]')
  const note = root.querySelector('[data-telegram-note]')
  if (!link) return
  let fetchedAt = 0
  const load = async () => {
    fetchedAt = Date.now()
    const url = await fetchLink().catch(() => undefined)
    if (!link.isConnected) return
    if (url) {
      link.href = url
      link.removeAttribute('aria-disabled')
      note.textContent = 'The link works once, for this browser, within an hour.'
    } else {
      note.textContent = 'Telegram is not available right now.'
    }
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState == 'visible' && link.isConnected && Date.now() - fetchedAt > REFRESH_AFTER_MS) load()
  })
  load()
}
