/** The only network code of the SDK. */

/** Status of a send: the HTTP status, 0 for a network error, -1 when a beacon left and no answer can come. */
export type SendStatus = number

export interface SendResult {
  status: SendStatus
  /** The relay's answer, to report a refusal's reason. */
  text: string
}

/** Chrome refuses keepalive bodies that would take the page's in-flight total over 64 KB. */
export const KEEPALIVE_LIMIT = 60_000
const TIMEOUT = 20e3

/**
 * POSTs `body` as text/plain, a CORS "simple request", so no preflight doubles
 * the traffic. `fetch` with keepalive outlives the page (Plausible's way);
 * where fetch is missing or refuses the body, sendBeacon goes instead.
 */
export async function send(url: string, body: string): Promise<SendResult> {
  let pending: Promise<Response>
  try {
    pending = fetch(url, {
      method: 'POST',
      body,
      keepalive: body.length < KEEPALIVE_LIMIT,
      credentials: 'omit',
      signal: AbortSignal.timeout?.(TIMEOUT),
    })
  } catch {
    return { status: navigator.sendBeacon?.(url, body) ? -1 : 0, text: '' }
  }
  try {
    const response = await pending
    return { status: response.status, text: await response.text() }
  } catch {
    return { status: 0, text: '' }
  }
}
