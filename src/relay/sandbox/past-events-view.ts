import { escapeHtml } from './escape-html.js'
import type { RecordedRequest } from './recorder.js'

/** The sandbox page's view of a Past events call: each event when it happened, its type and key, its params and its status. */

const PATH = '/api/v2/past_events'

type PastEventShown = { eventTypeKey?: unknown; keyValue?: unknown; occurred?: unknown; params?: { name?: unknown; value?: unknown }[] }

const eventsOf = (r: RecordedRequest): PastEventShown[] => {
  const events = (r.body as { events?: unknown } | undefined)?.events
  return r.path == PATH && Array.isArray(events) ? (events as PastEventShown[]) : []
}

const statusesOf = (r: RecordedRequest): unknown[] => {
  const results = (r.reply as { results?: { status?: unknown }[] } | undefined)?.results
  return Array.isArray(results) ? results.map((x) => x?.status) : []
}

/** The chips of a Past events card: its name and how many events it carried. */
export function pastEventsChips(r: RecordedRequest): string {
  if (r.path != PATH) return ''
  const n = eventsOf(r).length
  return `<span class="chip key">Past events</span><span class="chip">${n} event${n == 1 ? '' : 's'}, no workflows</span>`
}

/** One row per event: `occurred`, then type, keyValue and status, then its params. */
export function pastEventsTable(r: RecordedRequest): string {
  const events = eventsOf(r)
  if (!events.length) return ''
  const statuses = statusesOf(r)
  const rows = events
    .map((e, i) => {
      const params = (Array.isArray(e.params) ? e.params : []).map((p) => `${String(p?.name)} = ${typeof p?.value == 'string' ? p.value : JSON.stringify(p?.value)}`)
      const status = statuses[i] === undefined ? '' : ` · ${String(statuses[i])}`
      const head = `${String(e.eventTypeKey)} · keyValue ${String(e.keyValue)}${status}`
      return `<tr><th>${escapeHtml(String(e.occurred ?? '(no occurred)'))}</th><td><b>${escapeHtml(head)}</b><pre>${escapeHtml(params.join('\n'))}</pre></td></tr>`
    })
    .join('')
  return `<table class="params">${rows}</table>`
}

/** Past events the sandbox accepted, over every recorded call (a 200 without results takes them all). */
export function pastEventsAccepted(requests: RecordedRequest[]): number {
  let accepted = 0
  for (const r of requests) {
    if (r.status != 200) continue
    const statuses = statusesOf(r)
    accepted += statuses.length ? statuses.filter((s) => s == 'ACCEPTED').length : eventsOf(r).length
  }
  return accepted
}
