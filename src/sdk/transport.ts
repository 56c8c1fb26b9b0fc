/** The only network code of the SDK. */

/** Chrome refuses keepalive bodies that would take the page's in-flight total over 64 KB. */
export const KEEPALIVE_LIMIT = 60_000

/** What the relay answers: the fields the SDK reads of its JSON, whichever route. */
export interface Answer {
  /** /v1/e: the events refused, each with its reason. */
  rejected?: { id: string; reason: string }[]
  /** A refusal of the whole request. */
  error?: string
  /** /v1/telegram/link: the bot's link. */
  url?: string
}

/**
 * POSTs `body` as text/plain, a CORS "simple request", so no preflight doubles
 * the traffic. `fetch` with keepalive outlives the page (Plausible's way);
 * where fetch is missing or refuses the body at once, sendBeacon goes instead.
 * Resolves to the HTTP status and the answer's JSON (`{}` when it is none):
 * status 0 for a network error, -1 when a beacon left (no answer can come).
 * Never rejects.
 */
export function send(url: string, body: string): Promise<[number, Answer]> {
  let pending: Promise<Response>
  try {
    pending = fetch(url, { method: 'POST', body, keepalive: body.length < KEEPALIVE_LIMIT })
  } catch {
    return Promise.resolve([navigator.sendBeacon?.(url, body) ? -1 : 0, {}])
  }
  return pending.then(
    async (response) => [response.status, await response.json().catch(() => ({}))],
    () => [0, {}],
  )
}

/** The reason onError gives for an answer: `network error` (no answer), `HTTP 404`, or with the relay's error `HTTP 400: …`. */
export const reasonOf = (status: number, error?: string): string =>
  status > 0 ? `HTTP ${status}` + (error ? `: ${error}` : '') : 'network error'
