import type { TrackerError } from './options.js'

export interface Log {
  /** Console only, and only with `debug`. */
  debug(...args: unknown[]): void
  /** A refused call or request: console with `debug`, and always `onError`. */
  error(method: string, message: string): void
}

export function createLog(debug: boolean, onError?: (error: TrackerError) => void): Log {
  const print = (...args: unknown[]) => debug && console.log('[esputnik]', ...args)
  return {
    debug: print,
    error(method, message) {
      print(`${method}: ${message}`)
      // The host's callback must not break the tracker, nor the tracker the host.
      try {
        onError?.({ method, message })
      } catch {}
    },
  }
}
