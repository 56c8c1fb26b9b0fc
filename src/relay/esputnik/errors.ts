/** A job that would break eSputnik's rules; it becomes a dead letter with this reason, and no call is made. */
export class MappingError extends Error {
  override name = 'MappingError'
}

/** What the forwarder does with a failed call: try later, give up on its items, or pause the operation. */
export type UpstreamOutcome = 'retry' | 'dead' | 'auth'

/**
 * A call to eSputnik that did not succeed. `status` is undefined for timeouts
 * and network errors; `outcome` says what the forwarder does with it.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError'
  readonly retryable: boolean
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly outcome: UpstreamOutcome,
    readonly body = '',
    /** From a Retry-After header, when eSputnik sends one (it documents none). */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.retryable = outcome == 'retry'
  }
}
