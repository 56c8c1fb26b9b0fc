import type { Config } from '../ops/config.js'
import type { EventJob } from '../store/types.js'
import type { UpstreamReply } from './client.js'
import { mapEvent, type GenerateEventBody } from './event-v2.js'
import type { ItemResult, Operation } from './operation.js'

/**
 * Past events (`POST /api/v2/past_events`, docs/esputnik-api.md "Past
 * events"): a visitor's joined history that is older than the live window,
 * many events a call, each with the time it happened in `occurred`.
 * "Workflows are not launched for these events", so three weeks of browsing
 * do not arrive as three weeks of fresh triggers; the recent part of the
 * history goes through Generate event v2 after it (event-v2.ts).
 */

export const PATH_PAST_EVENTS = '/api/v2/past_events'

/** "You can send up to 500 events per a request" (docs/esputnik-api.md, "Past events"). */
export const MAX_PAST_EVENTS = 500

/**
 * The relay's bound on one call's body. eSputnik documents none for this
 * method (only the 500 events), so the bound is the smallest common default
 * of a web server in front of an API (nginx's `client_max_body_size` is 1 MB):
 * an undocumented limit is unlikely to be lower. One event is at most 20 KB
 * (Generate event's limit, checked at ingest), so a call always has room for
 * one; a typical web event is under 1 KB, so 500 of them fit in one call.
 */
export const MAX_PAST_BODY_BYTES = 1024 * 1024

/** eSputnik's statuses of one past event (schema `EventsMigrationResult`). */
export const PAST_STATUS = {
  accepted: 'ACCEPTED',
  serverError: 'SERVER_ERROR',
  segmentationDisabled: 'EVENT_SEGMENTATION_DISABLED',
} as const

export interface PastEvent extends GenerateEventBody {
  /** `YYYY-MM-DDTHH:mm`, UTC. */
  occurred: string
}

export interface PastEventsBody {
  events: PastEvent[]
}

/** The settings of replay by age. */
export type ReplayConfig = Pick<Config, 'replayMode' | 'replayLiveMs'>

/**
 * The ts before which a replayed event goes as a past event, for history
 * queued for replay at `at` (the relay's clock): `REPLAY_MODE=auto` what is
 * older than REPLAY_LIVE_MINUTES, `past` all of it, `live` none (0: every ts is later).
 */
export function pastBefore(config: ReplayConfig, at: number): number {
  if (config.replayMode == 'live') return 0
  if (config.replayMode == 'past') return Number.MAX_SAFE_INTEGER
  return at - config.replayLiveMs
}

/**
 * `occurred` in the form of the definition's only example, `2023-03-22T14:30`,
 * in UTC. Never later than the relay received the event: a browser clock
 * ahead of the world would otherwise earn OCCURRED_TIME_IN_FUTURE.
 */
export function formatOccurred(ts: number, receivedAt: number): string {
  return new Date(Math.min(ts, receivedAt)).toISOString().slice(0, 16)
}

/** What eSputnik's status for one event means for its job. */
export function resultOfStatus(status: unknown): ItemResult {
  if (status == PAST_STATUS.accepted) return { outcome: 'sent' }
  if (status === undefined) return { outcome: 'retry', reason: 'eSputnik gave no status for this past event' }
  if (status == PAST_STATUS.serverError) return { outcome: 'retry', reason: `eSputnik answered ${status} for this past event` }
  if (status == PAST_STATUS.segmentationDisabled) {
    return {
      outcome: 'pause',
      reason:
        'eSputnik answered EVENT_SEGMENTATION_DISABLED: the account takes no past events until event segmentation is on (Settings > Events); the history waits queued. REPLAY_MODE=live sends it through Generate event instead',
    }
  }
  return { outcome: 'dead', reason: `eSputnik refused the past event: ${String(status).slice(0, 100)}` }
}

/**
 * Reads a 200 answer (schema `EventsMigrationResults`) by position: one
 * result per event of the call, in its order. An answer without `results`
 * (or one that counts no error and lists fewer) means every event was taken.
 */
export function readPastResults(reply: UpstreamReply, count: number): ItemResult[] {
  let answer: { results?: unknown; errorCount?: unknown } | undefined
  try {
    answer = reply.body ? JSON.parse(reply.body) : undefined
  } catch {
    answer = undefined
  }
  const results = answer?.results
  if (!Array.isArray(results) || (results.length < count && answer?.errorCount === 0)) {
    return Array.from({ length: count }, () => ({ outcome: 'sent' }))
  }
  return Array.from({ length: count }, (_, i) => resultOfStatus((results[i] as { status?: unknown } | undefined)?.status))
}

/**
 * Replay jobs marked past when they were queued (Job.past), unless
 * REPLAY_MODE=live (then Generate event v2 takes them, e.g. for an account
 * without event segmentation), up to 500 a call within MAX_PAST_BODY_BYTES, on
 * the `past` budget. A whole call refused (400, 413) is split by the
 * forwarder; a result per event otherwise: refused statuses become dead
 * letters with the status, SERVER_ERROR is retried, and
 * EVENT_SEGMENTATION_DISABLED pauses the operation with its events queued.
 */
export const pastEvents: Operation<PastEvent, PastEventsBody, EventJob> = {
  name: 'past-events',
  budget: 'past',
  scope: 'Events',
  maxBatch: MAX_PAST_EVENTS,
  maxBodyBytes: MAX_PAST_BODY_BYTES,
  accepts: (job, context): job is EventJob =>
    job.kind == 'event' && job.replay && job.past && job.locators !== null && context.replayMode != 'live',
  toItem: (job, context) => ({
    ...mapEvent(job.event, job.locators ?? {}, { occurredAt: context.replayOccurredAt }),
    occurred: formatOccurred(job.event.ts, job.receivedAt),
  }),
  toBody: (items) => ({ events: items }),
  send: (client, body) => client.post(PATH_PAST_EVENTS, body),
  results: (reply, jobs) => readPastResults(reply, jobs.length),
}
