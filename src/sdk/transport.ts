/** The only network code of the SDK. */

/** Chrome refuses keepalive bodies that would take the page's in-flight total over 64 KB. */
export const KEEPALIVE_LIMIT = 60_000

/**
 * POSTs `body` as text/plain, a CORS "simple request", so no preflight doubles
 * the traffic. `fetch` with keepalive outlives the page (Plausible's way);
 * where fetch is missing or refuses the body at once, sendBeacon goes instead.
 * Resolves to the HTTP status and text: status 0 for a network error, -1 when
 * a beacon left (no answer can come).
 */
export function send(url: string, body: string): Promise<[number, string]> {
  let pending: Promise<Response>
  try {
    pending = fetch(url, { method: 'POST', body, keepalive: body.length < KEEPALIVE_LIMIT })
  } catch {
    return Promise.resolve([navigator.sendBeacon?.(url, body) ? -1 : 0, ''])
  }
  return pending.then(
    async (response) => [response.status, await response.text()],
    () => [0, ''],
  )
}
