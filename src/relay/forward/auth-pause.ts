/** An operation set aside after eSputnik refused the API key for it, or said it cannot take its calls yet. */
export interface AuthPause {
  operation: string
  /** When it is tried again, on the relay's clock. */
  until: number
  /** 401 (bad or disabled key) or 403 (the key lacks the operation's scope). */
  status: number | undefined
  /** What the key needs access to for this operation (Operation.scope), when known. */
  scope?: string
  /** Why, when it is not a refused key: e.g. EVENT_SEGMENTATION_DISABLED for past events. */
  reason?: string
}

/**
 * The one thing to do about a refusal: a 401 says the key itself is wrong or
 * disabled, a 403 that it lacks the operation's group of methods
 * (docs/esputnik-api.md, "Errors and retries").
 */
export function whatToFix(status: number | undefined, scope: string | undefined): string {
  if (status == 403) {
    return scope
      ? `Give the API key in ESPUTNIK_API_KEY access to ${scope} (the group of this method in eSputnik's API reference)`
      : 'Give the API key in ESPUTNIK_API_KEY access to this method'
  }
  return 'Check ESPUTNIK_API_KEY: eSputnik does not know it, or disabled it (a key unused for 90 days is)'
}

/**
 * The pauses after a 401/403, one per operation: a key without the scope of
 * one method (a 403 on Subscribe contact, say) stops only that method, and
 * the others go on. Nothing is dropped; when the pause is over the operation
 * is tried again.
 */
export interface AuthPauses {
  /** Pauses `operation` for `pauseMs`; false when it was paused already. `reason`: why, when the key is not the cause. */
  pause(operation: string, status: number | undefined, reason?: string): boolean
  /** When the operation's pause ends, while it is paused; undefined when it is not. */
  until(operation: string): number | undefined
  /** The pauses in force, oldest first. */
  list(): AuthPause[]
}

export interface AuthPausesOptions {
  /** AUTH_PAUSE_MS. */
  pauseMs: number
  /** The operation's Operation.scope. */
  scopeOf?: (operation: string) => string | undefined
  now: () => number
  onPause: (pause: AuthPause) => void
  /** Called once when a pause is over, the first time anyone asks after its end. */
  onResume: (operation: string) => void
}

export function createAuthPauses(o: AuthPausesOptions): AuthPauses {
  const pauses = new Map<string, AuthPause>()

  function current(operation: string): AuthPause | undefined {
    const pause = pauses.get(operation)
    if (!pause || pause.until > o.now()) return pause
    pauses.delete(operation)
    o.onResume(operation)
    return undefined
  }

  return {
    pause(operation, status, reason) {
      if (current(operation)) return false
      const scope = o.scopeOf?.(operation)
      const pause: AuthPause = { operation, until: o.now() + o.pauseMs, status, ...(scope ? { scope } : {}), ...(reason ? { reason } : {}) }
      pauses.set(operation, pause)
      o.onPause(pause)
      return true
    },
    until: (operation) => current(operation)?.until,
    list: () => [...pauses.keys()].map(current).filter((p): p is AuthPause => p !== undefined),
  }
}
