/**
 * The script-tag build. Reads its options from the tag's data-* attributes,
 * replays the calls the one-line stub queued before it loaded, then takes the
 * stub's place:
 *
 *   window.esputnik=window.esputnik||function(){(esputnik.q=esputnik.q||[]).push(arguments)}
 *   esputnik('onError', function (error) { console.warn(error.method, error.reason) })
 *   <script async src="https://relay.example.com/sdk.js" data-endpoint="https://relay.example.com"></script>
 */
import { smallJar } from './cookie-jar.js'
import { createBrowserTracker } from './tracker.js'
import type { TrackerOptions } from './options.js'
import type { Tracker, TrackerError } from './types.js'

type Stub = ((...args: unknown[]) => void) & { q?: Iterable<unknown>[]; tracker?: Tracker }

const w = window as unknown as { esputnik?: Stub }

try {
  // currentScript is set while a classic script runs, async ones included.
  // data-cookie-days="30" → cookieDays: 30; "true"/"false" become booleans;
  // other values stay text.
  const options: Record<string, unknown> = {}
  for (const [key, value] of Object.entries((document.currentScript as HTMLScriptElement).dataset)) {
    try {
      options[key] = JSON.parse(value!)
    } catch {
      options[key] = value
    }
  }
  // A function cannot ride in a data-* attribute: `esputnik('onError', fn)` sets it.
  let onError: ((error: TrackerError) => void) | undefined
  options.onError = (error: TrackerError) => onError?.(error)
  const tracker = createBrowserTracker(options as unknown as TrackerOptions, smallJar)
  /** `esputnik('productViewed', {...})`: one bad call does not stop the others. */
  const call: Stub = (name, ...args) => {
    if (name == 'onError') {
      onError = args[0] as typeof onError
      return
    }
    try {
      return (tracker as any)[name as string](...args)
    } catch {}
  }
  // Arrays and `arguments` are iterable; calls queued while replaying are replayed too.
  for (const args of w.esputnik?.q ?? []) call(...(args as unknown[]))
  call.tracker = tracker
  w.esputnik = call
} catch (error) {
  console.error(error)
}
