/**
 * The script-tag build. Reads its options from the tag's data-* attributes,
 * replays the calls the one-line stub queued before it loaded, then takes the
 * stub's place:
 *
 *   window.esputnik=window.esputnik||function(){(esputnik.q=esputnik.q||[]).push(arguments)}
 *   <script async src="https://relay.example.com/sdk.js" data-endpoint="https://relay.example.com"></script>
 */
import { createBrowserTracker, type Tracker } from './tracker.js'
import type { TrackerOptions } from './options.js'

type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; tracker?: Tracker }

const w = window as unknown as { esputnik?: Stub }
// currentScript is set while a classic script runs, async ones included.
const script = document.currentScript as HTMLScriptElement | null

/** data-cookie-days="30" → cookieDays: 30; "true"/"false" become booleans; other values stay text. */
const options: Record<string, unknown> = {}
for (const [key, value] of Object.entries(script?.dataset ?? {})) {
  try {
    options[key] = JSON.parse(value!)
  } catch {
    options[key] = value
  }
}

try {
  const tracker = createBrowserTracker(options as unknown as TrackerOptions)
  const queued = w.esputnik?.q ?? []
  /** `esputnik('productViewed', {...})`, `esputnik('cart.reset')`: one bad call does not stop the others. */
  const call: Stub = (name, ...args) => {
    try {
      const [head, tail] = String(name).split('.') as [string, string?]
      const target = (tail ? tracker[head as 'cart'] : tracker) as unknown as Record<string, (...a: unknown[]) => unknown>
      return target[tail ?? head]!(...args)
    } catch {
      if (options.debug) console.warn('[esputnik] unknown call', name)
    }
  }
  for (let i = 0; i < queued.length; i++) call(...(queued[i] as unknown[]))
  call.tracker = tracker
  w.esputnik = call
} catch (error) {
  console.error(String(error))
}
