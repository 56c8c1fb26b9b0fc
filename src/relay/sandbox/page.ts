import { escapeHtml } from './escape-html.js'
import { ordersTable } from './orders.js'
import { pastEventsAccepted, pastEventsChips, pastEventsTable } from './past-events-view.js'
import type { RecordedRequest } from './recorder.js'

/**
 * `GET /sandbox`: what would have reached eSputnik, newest first. One
 * self-contained page (inline CSS, a few lines of inline script, no external
 * assets) so it works offline and behind any proxy.
 */


const pretty = (value: unknown) => escapeHtml(typeof value == 'string' ? value : JSON.stringify(value, null, 2))

/** A param value in the JSON-text form of eSputnik's examples is shown decoded. */
function showValue(value: unknown): string {
  if (typeof value == 'string' && /^\s*[[{]/.test(value)) {
    try {
      return pretty(JSON.parse(value))
    } catch {
      // not JSON after all: shown as text
    }
  }
  return pretty(value)
}

function tone(status: number) {
  return status >= 200 && status < 300 ? 'ok' : status >= 400 && status < 500 ? 'warn' : 'bad'
}

function paramsTable(body: unknown): string {
  const params = (body as { params?: unknown })?.params
  if (!Array.isArray(params) || params.length == 0) return ''
  const rows = params
    .map((p: { name?: unknown; value?: unknown }) => `<tr><th>${escapeHtml(String(p?.name))}</th><td><pre>${showValue(p?.value)}</pre></td></tr>`)
    .join('')
  return `<table class="params">${rows}</table>`
}

/** Add application tokens: each token beside the contact identifier it goes to. */
function tokensTable(body: unknown): string {
  const tokens = (body as { tokens?: unknown })?.tokens
  if (!Array.isArray(tokens) || tokens.length == 0) return ''
  const rows = tokens
    .map((t: Record<string, unknown> | null) => {
      const ids = ['contactId', 'externalCustomerId', 'phone', 'email'].filter((k) => t?.[k] !== undefined).map((k) => `${k} ${String(t![k])}`)
      return `<tr><th>token ${escapeHtml(String(t?.token))}</th><td><pre>${escapeHtml(ids.join(', ') || '(no contact)')}</pre></td></tr>`
    })
    .join('')
  return `<table class="params">${rows}</table>`
}

/** The app of an Add application tokens path, for its chip. */
const APP_PATH = /^\/api\/v1\/apps\/([^/]+)\/tokens$/

function card(r: RecordedRequest): string {
  const body = r.body as { eventTypeKey?: unknown; keyValue?: unknown; tokens?: unknown } | undefined
  const app = APP_PATH.exec(r.path)?.[1]
  const chips = [
    typeof body?.eventTypeKey == 'string' ? `<span class="chip key">${escapeHtml(body.eventTypeKey)}</span>` : '',
    typeof body?.keyValue == 'string' ? `<span class="chip">keyValue ${escapeHtml(body.keyValue)}</span>` : '',
    r.path == '/api/v1/orders' ? `<span class="chip key">Add orders</span>` : '',
    pastEventsChips(r),
    app ? `<span class="chip key">Telegram tokens</span><span class="chip">app ${escapeHtml(app)}</span>` : '',
    app && Array.isArray(body?.tokens) ? `<span class="chip">${body.tokens.length} token${body.tokens.length == 1 ? '' : 's'}</span>` : '',
    r.authorized ? '' : '<span class="chip warn">no auth</span>',
  ].join('')
  const reply = r.reply === undefined || r.reply === '' ? '' : `<div class="reply">reply: <code>${pretty(r.reply)}</code></div>`
  return `<article>
  <header>
    <span class="status ${tone(r.status)}">${r.status || 'reset'}</span>
    <span class="method">${escapeHtml(r.method)}</span> <code class="path">${escapeHtml(r.path)}</code>
    ${chips}
    <time datetime="${new Date(r.at).toISOString()}">${new Date(r.at).toISOString().replace('T', ' ').slice(0, 23)}</time>
  </header>
  ${paramsTable(r.body)}${tokensTable(r.body)}${ordersTable(r.body, r.reply)}${pastEventsTable(r)}
  <details><summary>request body</summary><pre>${pretty(r.body ?? '')}</pre></details>
  ${reply}
</article>`
}

const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--ok:#1f9d55;--warn:#c77700;--bad:#d64545;--accent:#3b5bdb}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
main{max-width:980px;margin:0 auto;padding:32px 20px 64px}h1{margin:0 0 4px;font-size:24px}
.lead{color:var(--muted);margin:0 0 24px}.lead code{background:#eceff4;padding:1px 5px;border-radius:4px}
.stats{display:flex;gap:12px;margin-bottom:20px;flex-wrap:wrap}.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 16px}
.stat b{display:block;font-size:20px}.stat span{color:var(--muted);font-size:13px}
article{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 18px;margin-bottom:14px;box-shadow:0 1px 2px rgba(20,30,60,.04)}
article header{display:flex;align-items:center;gap:8px;flex-wrap:wrap}time{margin-left:auto;color:var(--muted);font-size:13px}
.status{font-weight:600;border-radius:6px;padding:1px 8px;color:#fff;font-size:13px}.status.ok{background:var(--ok)}.status.warn{background:var(--warn)}.status.bad{background:var(--bad)}
.method{font-weight:600}.path{color:var(--accent)}.chip{background:#eef1f8;border-radius:999px;padding:1px 10px;font-size:13px}.chip.key{background:#e3e9ff;color:var(--accent);font-weight:600}.chip.warn{background:#fff1dc;color:var(--warn)}
table.params{width:100%;border-collapse:collapse;margin-top:10px}table.params th{text-align:left;vertical-align:top;width:160px;padding:6px 8px;color:var(--muted);font-weight:500;border-top:1px solid var(--line)}
table.params td{padding:6px 8px;border-top:1px solid var(--line)}pre{margin:0;white-space:pre-wrap;word-break:break-word;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
details{margin-top:8px}summary{cursor:pointer;color:var(--muted);font-size:13px}details pre{background:#f3f5f8;border-radius:8px;padding:10px;margin-top:6px}
.reply{margin-top:6px;color:var(--muted);font-size:13px}.empty{background:var(--card);border:1px dashed var(--line);border-radius:12px;padding:40px;text-align:center;color:var(--muted)}
`

// Reloads only when something new arrived, so an opened <details> stays open while idle.
const SCRIPT = `(function(){var last=Number(document.body.dataset.last)||0;var url=location.pathname.replace(/\\/?$/,'/requests?since=');
setInterval(function(){fetch(url+last).then(function(r){return r.json()}).then(function(j){if(j.requests&&j.requests.length)location.reload()}).catch(function(){})},2000)})()`

export function renderPage(requests: RecordedRequest[], note = ''): string {
  const newest = [...requests].reverse()
  const events = requests.filter((r) => r.path == '/api/v2/event')
  const stats = [
    [requests.length, 'requests recorded'],
    [events.filter((r) => tone(r.status) == 'ok').length, 'events accepted'],
    [pastEventsAccepted(requests), 'past events accepted'],
    [requests.filter((r) => tone(r.status) != 'ok').length, 'refused or failed'],
  ]
  const last = requests.at(-1)?.seq ?? 0
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>eSputnik sandbox · esputnik-relay</title><style>${STYLE}</style></head>
<body data-last="${last}"><main>
<h1>eSputnik sandbox</h1>
<p class="lead">No <code>ESPUTNIK_API_KEY</code> is set, so the relay sends here what it would send to eSputnik, checked against eSputnik's rules. Newest first; the page refreshes when new requests arrive.${note ? ` ${escapeHtml(note)}` : ''}</p>
<div class="stats">${stats.map(([n, label]) => `<div class="stat"><b>${n}</b><span>${label}</span></div>`).join('')}</div>
${newest.length ? newest.map(card).join('\n') : '<div class="empty">Nothing yet. Browse the shop with the SDK on it, and its events appear here.</div>'}
</main><script>${SCRIPT}</script></body></html>`
}
