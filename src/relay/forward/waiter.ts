/** A sleep that ends early on `wake()` or when its signal aborts; never rejects. */
export interface Waiter {
  rest(ms: number, signal: AbortSignal): Promise<void>
  wake(): void
}

export function createWaiter(): Waiter {
  const sleepers = new Set<() => void>()
  return {
    rest(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal.aborted) return resolve()
        const done = () => {
          clearTimeout(timer)
          sleepers.delete(done)
          signal.removeEventListener('abort', done)
          resolve()
        }
        const timer = setTimeout(done, Math.max(0, ms))
        sleepers.add(done)
        signal.addEventListener('abort', done, { once: true })
      })
    },
    wake() {
      for (const done of [...sleepers]) done()
    },
  }
}
