// Runs the browser scenarios (e2e/scenarios) in WebKit or Firefox, as
// e2e/sdk.spec.ts runs them in Chromium:
//
//   tsx e2e/engines/run.ts firefox [words of a scenario name]
//   xvfb-run -a tsx e2e/engines/run.ts webkit
//
// It starts the fixture server (on the port e2e/fixtures/*.html name), opens a
// fresh browser profile per scenario, and closes on "N passed, M failed".
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createScenarioContext, scenarios, type Scenario } from '../scenarios/index.js'
import { beacons, clearRelay, createRelayRequests, repeats, summary, type RelayRequests } from '../support/relay.js'
import type { Engine, OpenDriver } from './engine.js'
import { launchFirefox } from './firefox.js'
import { launchWebKit } from './webkit.js'

const PORT = 4173
const origin = `http://127.0.0.1:${PORT}`
const DEFAULT_TIMEOUT = 30_000
/** A WebDriver session or a user context opens in 1-2 s here. */
const OPEN_TIMEOUT = 20_000
const launchers: Record<string, () => Promise<Engine>> = {
  webkit: () => launchWebKit({ origin }),
  firefox: () => launchFirefox({ origin }),
}

const [name = '', ...filter] = process.argv.slice(2)
const launch = launchers[name]
if (!launch) {
  console.error(`usage: tsx e2e/engines/run.ts <${Object.keys(launchers).join('|')}> [words of a scenario name]`)
  process.exit(2)
}
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`

async function startFixtureServer(relay: RelayRequests) {
  // Never talk to a stray server from another run: its beacon log would not be ours.
  if (await relay.get('/health').then(() => true, () => false)) throw new Error(`${origin} is taken: stop the server on it first`)
  const script = fileURLToPath(new URL('../fixture-server.mjs', import.meta.url))
  const server = spawn(process.execPath, [script], { env: { ...process.env, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] })
  for (let tries = 0; !(await relay.get('/health').then((r) => r.ok(), () => false)); tries++) {
    if (tries > 100 || server.exitCode != null) throw new Error(`the fixture server did not answer on ${origin}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return server
}

const indent = (text: string, n: number) => text.replace(/^/gm, ' '.repeat(n))
/** The message, and of the stack only the frames in this repository's e2e code. */
const describe = (error: unknown) => {
  const { message = String(error), stack = '' } = error as Error
  return [message, ...stack.split('\n').filter((line) => /^\s+at .*[\\/]e2e[\\/]/.test(line) && !line.includes('node_modules'))].join('\n')
}

/** Rejects after `ms`, so a scenario that hangs fails instead of stopping the run. */
const deadline = (ms: number, what = 'the scenario') =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms).unref())

async function runOne(scenario: Scenario, driver: OpenDriver, relay: RelayRequests, notes: string[]) {
  const context = createScenarioContext(driver, relay, (type, description) => notes.push(`${type}: ${description}`))
  await Promise.race([scenario.run(context), deadline(scenario.timeout ?? DEFAULT_TIMEOUT)])
  // As sdk.spec.ts does: repeats are allowed where a scenario does not forbid them, and noted.
  const repeated = repeats(await beacons(relay))
  if (Object.keys(repeated).length) notes.push(`repeated event ids: ${JSON.stringify(repeated)}`)
}

const started = Date.now()
const relay = createRelayRequests(origin)
const chosen = scenarios.filter((s) => filter.every((word) => s.name.includes(word)))
let passed = 0
let failed = 0
let engine: Engine | undefined
let server: ChildProcess | undefined
try {
  server = await startFixtureServer(relay)
  engine = await launch()
  for (const scenario of chosen) {
    const at = Date.now()
    const notes: string[] = []
    await clearRelay(relay)
    let driver: OpenDriver | undefined
    try {
      driver = await Promise.race([engine.open(), deadline(OPEN_TIMEOUT, 'opening the browser')])
      if (!passed && !failed) console.log(`${chosen.length} scenarios in ${driver.version}`)
      await runOne(scenario, driver, relay, notes)
      passed++
      console.log(`  ✓ ${scenario.name} (${seconds(at)})`)
    } catch (error) {
      failed++
      console.log(`  ✘ ${scenario.name} (${seconds(at)})\n${indent(describe(error), 6)}`)
      console.log(`      what the relay received:\n${indent(summary(await beacons(relay)), 8)}`)
    } finally {
      for (const note of notes) console.log(`      note: ${note}`)
      await driver?.end().catch(() => undefined)
    }
  }
} catch (error) {
  failed++
  console.error(`${name}: ${describe(error)}`)
} finally {
  await engine?.close().catch(() => undefined)
  server?.kill()
}
console.log(`${name}: ${chosen.length} scenarios in ${seconds(started)}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed || !passed ? 1 : 0)
