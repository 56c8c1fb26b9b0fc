/** An operation set aside after eSputnik refused the API key for it. */
export interface AuthPause {
  operation: string
  /** When it is tried again, on the relay's clock. */
  until: number
  /** 401 (bad or disabled key) or 403 (the key lacks the operation's scope). */
  status: number | undefined
}

/**
 * The pauses after a 401/403, one per operation: a key without the scope of
 * one method (a 403 on Subscribe contact, say) stops only that method, and
 * the others go on. Nothing is dropped; when the pause is over the operation
 * is tried again.
 */
export interface AuthPauses {
  /** Pauses `operation` for `pauseMs`; false when it was paused already. */
  pause(operation: string, status: number | undefined): boolean
  /** When the operation's pause ends, while it is paused; undefined when it is not. */
  until(operation: string): number | undefined
  /** The pauses in force, oldest first. */
  list(): AuthPause[]
}

export interface AuthPausesOptions {
  /** AUTH_PAUSE_MS. */
  pauseMs: number
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
    pause(operation, status) {
      if (current(operation)) return false
      const pause = { operation, until: o.now() + o.pauseMs, status }
      pauses.set(operation, pause)
      o.onPause(pause)
      return true
    },
    until: (operation) => current(operation)?.until,
    list: () => [...pauses.keys()].map(current).filter((p): p is AuthPause => p !== undefined),
  }
}
