// Runs the BUILT relay (dist/relay/main.js) as a child process on loopback,
// the way production runs it, and stops it by its PID.
//
// The machine is shared: another engineer's `npm run build` deletes dist/
// and writes it again. So the benches run a private copy of dist/ made once
// per bench process (under .tmp/, inside the repo, so node_modules resolves).
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { freePort } from '../../scripts/free-port.mjs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { progress } from './report.mjs'

export { freePort }

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const KEEP = process.env.BENCH_KEEP == '1'
const cleanups = []

/** Removes temp folders at exit, unless BENCH_KEEP=1 (to look at the SQLite files and logs). */
export function onExit(fn) {
  cleanups.push(fn)
}
let exiting = false
function cleanup() {
  if (exiting) return
  exiting = true
  for (const fn of cleanups.reverse()) {
    try {
      fn()
    } catch {}
  }
}
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (cleanup(), process.exit(130)))

/** A fresh folder under the OS temp dir, removed at exit. */
export function tempDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `esputnik-bench-${name}-`))
  if (!KEEP) onExit(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Builds when dist/ lacks what the benches need (a fresh checkout). */
export function ensureBuilt() {
  const need = ['dist/relay/main.js', 'dist/esputnik-tracker.min.js', 'dist/index.mjs']
  if (need.every((f) => existsSync(join(ROOT, f)))) return
  progress('bench: dist/ is incomplete; running npm run build')
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.status != 0) throw new Error('npm run build failed')
}

let snapshot
/** A private copy of dist/ for this bench process; returns its folder. */
export function distSnapshot() {
  if (snapshot) return snapshot
  ensureBuilt()
  const base = join(ROOT, '.tmp', 'bench')
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'dist-'))
  // The relay imports ../wire; it finds the SDK three folders up from dist/relay/ops/ (src/relay/ops/env-schema.ts DEFAULT_SDK_FILE).
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.includes(`${join(ROOT, 'dist', 'demo')}`) })
  onExit(() => rmSync(dir, { recursive: true, force: true }))
  return (snapshot = join(dir, 'dist'))
}


const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Polls GET url until 200 or `timeoutMs`. */
export async function waitFor(url, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.ok) return
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
    await sleep(50)
  }
}

/**
 * Starts `node dist/relay/main.js` with `env` on 127.0.0.1 (a free port
 * unless `port` is given; a restart passes the same one). Its output goes to
 * `<dir>/<name>.log`. Resolves once /healthz answers.
 */
export async function startRelayProcess({ env = {}, port, dir, name = 'relay' }) {
  const main = join(distSnapshot(), 'relay', 'main.js')
  port ??= await freePort()
  const log = join(dir, `${name}.log`)
  const fd = openSync(log, 'a')
  const child = spawn(process.execPath, [main], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SQLITE_PATH: join(dir, `${name}.db`),
      ...env,
    },
    stdio: ['ignore', fd, fd],
  })
  closeSync(fd)
  let exited = null
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))))
  const url = `http://127.0.0.1:${port}`
  const relay = {
    url,
    port,
    pid: child.pid,
    log,
    dbPath: env.SQLITE_PATH ?? join(dir, `${name}.db`),
    exit,
    get exited() {
      return exited
    },
    /** SIGKILL: no shutdown hook runs, as in a crash or an OOM kill. */
    async kill9() {
      if (!exited) child.kill('SIGKILL')
      return exit
    },
    /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (exited) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => !exited && child.kill('SIGKILL'), graceMs)
      const result = await exit
      clearTimeout(timer)
      return result
    },
  }
  onExit(() => !exited && child.kill('SIGKILL'))
  await Promise.race([
    waitFor(`${url}/healthz`),
    exit.then((e) => {
      throw new Error(`relay exited at start (${JSON.stringify(e)}); see ${log}`)
    }),
  ])
  return relay
}

/** Prometheus text → `{name: value}` for the unlabelled samples and `name{labels}` keys for the rest. */
export async function metrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text()
  const out = {}
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const i = line.lastIndexOf(' ')
    out[line.slice(0, i)] = Number(line.slice(i + 1))
  }
  return out
}

/** CPU seconds a process has used (user + system), from /proc; NaN where there is no /proc. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN
  }
}

/** Runs `fn` and adds the share of one core the relay (`pid`) and this process used meanwhile. */
export async function withCpu(pid, fn) {
  const r0 = cpuSeconds(pid)
  const g0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await fn()
  const wall = (performance.now() - t0) / 1000
  const g = process.cpuUsage(g0)
  return { ...result, relayCpu: (cpuSeconds(pid) - r0) / wall, generatorCpu: (g.user + g.system) / 1e6 / wall }
}

/**
 * A second relay process used only as the upstream: its sandbox records the
 * Generate event calls (SANDBOX_CONTROL mounts it and its fault endpoints).
 * Out of process, so its receive times do not share the event loop of the
 * relay under test, and a kill of that relay does not wipe its record.
 */
export async function startUpstream({ dir, latencyMs = 0, env = {} }) {
  const up = await startRelayProcess({ dir, name: 'upstream', env: { SANDBOX_CONTROL: 'true', SANDBOX_LATENCY_MS: String(latencyMs), LOG_LEVEL: 'error', ...env } })
  return Object.assign(up, {
    /** Env for the relay under test: forward to this sandbox as to eSputnik. */
    forwardEnv: { ESPUTNIK_API_KEY: 'bench-key', ESPUTNIK_BASE_URL: `${up.url}/sandbox` },
    /** POST /sandbox/faults with `plan`, or DELETE it without. */
    faults: (plan) =>
      fetch(`${up.url}/sandbox/faults`, { method: plan ? 'POST' : 'DELETE', headers: { 'content-type': 'application/json' }, body: plan && JSON.stringify(plan) }).then((r) => r.arrayBuffer()),
  })
}

/** NODE_OPTIONS that preload lib/loop-probe.cjs into a relay process. */
export const LOOP_PROBE = { NODE_OPTIONS: `--require ${fileURLToPath(new URL('./loop-probe.cjs', import.meta.url))}` }

/** Stalls the probe logged in a relay's log file: count, longest, and how many had the CPU under half the time. */
export function loopStalls(log) {
  const stalls = []
  const gcs = []
  let loaded = false
  for (const text of readFileSync(log, 'utf8').split('\n')) {
    if (!text.startsWith('{"probe"')) continue
    const o = JSON.parse(text)
    if (o.loaded) loaded = true
    if (o.stall) stalls.push(o)
    if (o.gc) gcs.push(o.gc)
  }
  if (!loaded) throw new Error(`the loop probe did not load into the relay; see ${log}`)
  return {
    count: stalls.length,
    longest: Math.max(0, ...stalls.map((s) => s.stall)),
    total: stalls.reduce((a, s) => a + s.stall, 0),
    offCpu: stalls.filter((s) => s.cpu < s.wall / 2).length,
    gcOver50: gcs.length,
    gcLongest: Math.max(0, ...gcs),
  }
}
