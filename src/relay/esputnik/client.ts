import { UpstreamError, type UpstreamOutcome } from './errors.js'

/**
 * The only outbound HTTP code of the relay. Node's fetch (undici) keeps
 * connections alive and pools them per origin by default, so the forwarder's
 * bounded concurrency is also the number of sockets to eSputnik.
 */

export interface EsputnikClientOptions {
  /** Origin plus optional prefix; a function when it is known only after listen (the built-in sandbox). */
  baseUrl: string | (() => string)
  /** Sent as the Basic auth password; eSputnik ignores the user name. */
  apiKey: string
  timeoutMs: number
  fetch?: typeof fetch
  now?: () => number
}

export interface UpstreamReply {
  status: number
  body: string
}

/** How an operation reads an answer's status: `ok`, or what to do about the failure. */
export type ClassifyStatus = (status: number) => UpstreamOutcome | 'ok'

export interface EsputnikClient {
  /**
   * POSTs `body` as JSON to `path`. Resolves when `classify` (default
   * classifyStatus) calls the status `ok`; throws an UpstreamError otherwise,
   * and for timeouts and network errors (always `retry`).
   */
  post(path: string, body: unknown, classify?: ClassifyStatus): Promise<UpstreamReply>
  baseUrl(): string
}

/** What to do after an answer (docs/esputnik-api.md, "Errors and retries"). */
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

  async function post(path: string, body: unknown, classify: ClassifyStatus = classifyStatus): Promise<UpstreamReply> {
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
    const outcome = classify(response.status)
    if (outcome == 'ok') return { status: response.status, body: text }
    throw new UpstreamError(
      `eSputnik answered ${response.status}: POST ${path}`,
      response.status,
      outcome,
      text.slice(0, MAX_ERROR_BODY),
      parseRetryAfter(response.headers.get('retry-after'), now()),
    )
  }

  return Object.freeze({ post, baseUrl })
}
