import type { RecordedRequest } from '../../src/relay/sandbox/recorder.js'
import { waitFor, type TestRelay } from './helpers.js'

/**
 * How long the sandbox's record must stay the same before a test takes it
 * that nothing more is on its way: 25 of the test relays' forwarder polls
 * (idlePollMs 20), and longer than a retry (retryMaxMs 100).
 */
export const QUIET_MS = 500

/** Resolves once the sandbox's record has not grown for QUIET_MS, with that record. */
export async function quietRecord(relay: TestRelay): Promise<RecordedRequest[]> {
  let last = -1
  let since = Date.now()
  const { all } = await waitFor(async () => {
    const all = await relay.recorded()
    if (all.length != last) [last, since] = [all.length, Date.now()]
    return Date.now() - since >= QUIET_MS && { all }
  }, `a quiet sandbox for ${QUIET_MS} ms`)
  return all
}

/** Everything the sandbox recorded, as one text to look for a search term or an identifier in. */
export const recordText = (all: RecordedRequest[]) => JSON.stringify(all.map((r) => [r.body, r.reply]))
