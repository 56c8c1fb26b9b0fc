import { UpstreamError, type UpstreamOutcome } from './errors.js'
import type { GenerateEventBody } from './mapping.js'
import type { SubscribeContactBody } from './subscribe-contact.js'

/**
 * The only outbound HTTP code of the relay. Node's fetch (undici) keeps
 * connections alive and pools them per origin by default, so the forwarder's
 * bounded concurrency is also the number of sockets to eSputnik.
 */

export const PATH_GENERATE_EVENT = '/api/v2/event'
export const PATH_SUBSCRIBE_CONTACT = '/api/v1/contact/subscribe'

export interface EsputnikClientOptions {
  /** Origin plus optional prefix; a function when it is known only after listen (the built-in sandbox). */
  baseUrl: string | (() => string)
  /** Sent as the Basic auth password; the user name is ignored by eSputnik. */
  apiKey: string
  timeoutMs: number
  fetch?: typeof fetch
  now?: () => number
}

export interface UpstreamReply {
  status: number
  body: string
}

export interface EsputnikClient {
  /** Resolves on 2xx; throws an UpstreamError otherwise. */
  generateEvent(body: GenerateEventBody): Promise<UpstreamReply>
  /** Resolves on 2xx and on 409, eSputnik's answer to the same request within a minute (esputnik-api.md §2). */
  subscribeContact(body: SubscribeContactBody): Promise<UpstreamReply>
  baseUrl(): string
}

/** What to do after an answer (esputnik-api.md, "Retry policy for the relay"). */
export function classifyStatus(status: number): UpstreamOutcome | 'ok' {
  if (status >= 200 && status < 300) return 'ok'
  if (status == 401 || status == 403) return 'auth'
  if (status == 408 || status == 429 || status >= 500) return 'retry'
  return 'dead'
}

/** Retry-After in seconds or as an HTTP date; eSputnik does not document it, so it is only a floor. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

const MAX_ERROR_BODY = 1000

function describeFailure(error: unknown, timeoutMs: number, path: string): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e.name == 'TimeoutError' || e.name == 'AbortError') return `timed out after ${timeoutMs} ms: POST ${path}`
  const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)
  return `network error: ${reason}: POST ${path}`
}

export function createEsputnikClient(options: EsputnikClientOptions): EsputnikClient {
  const doFetch = options.fetch ?? fetch
  const now = options.now ?? Date.now
  const baseUrl = typeof options.baseUrl == 'function' ? options.baseUrl : () => options.baseUrl as string
  const auth = `Basic ${Buffer.from(`esputnik-relay:${options.apiKey}`).toString('base64')}`

  async function post(path: string, body: unknown, okStatus?: number): Promise<UpstreamReply> {
    let response: Response
    let text: string
    try {
      response = await doFetch(baseUrl() + path, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
      // Read the body even when unused, so the connection goes back to the pool.
      text = await response.text()
    } catch (error) {
      throw new UpstreamError(describeFailure(error, options.timeoutMs, path), undefined, 'retry')
    }
    const outcome = response.status == okStatus ? 'ok' : classifyStatus(response.status)
    if (outcome == 'ok') return { status: response.status, body: text }
    throw new UpstreamError(
      `eSputnik answered ${response.status}: POST ${path}`,
      response.status,
      outcome,
      text.slice(0, MAX_ERROR_BODY),
      parseRetryAfter(response.headers.get('retry-after'), now()),
    )
  }

  return Object.freeze({
    generateEvent: (body: GenerateEventBody) => post(PATH_GENERATE_EVENT, body),
    subscribeContact: (body: SubscribeContactBody) => post(PATH_SUBSCRIBE_CONTACT, body, 409),
    baseUrl,
  })
}
