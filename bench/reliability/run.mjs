#!/usr/bin/env node
// npm run reliability — the four reliability scenarios, one after
// another, each with its own relay processes and temp folder, then a table
// per scenario and a verdict. Exit code 1 when any check fails.
//
//   --short          the quick mode for npm test (5 kills, 8 s outage,
//                    3,000 bad bodies, 300 SDK events; about a minute)
//   --only a,b       some of: kill9, outage, bad-input, sdk-storm
//   --store postgres two relay nodes on one throwaway PostgreSQL database
//                    instead of one on SQLite: kill9, outage and bad-input
//                    (the SDK storm is about the browser, so it is left out)
import { parseArgs } from 'node:util'
import { commandLine, header, progress, table } from '../lib/report.mjs'
import { STORES } from '../lib/nodes.mjs'
import { badInput } from './bad-input.mjs'
import { kill9 } from './kill9.mjs'
import { outage } from './outage.mjs'
import { sdkStorm } from './sdk-storm.mjs'

const SCENARIOS = { kill9, outage, 'bad-input': badInput, 'sdk-storm': sdkStorm }
const { values: args } = parseArgs({ options: { short: { type: 'boolean', default: false }, only: { type: 'string' }, store: { type: 'string', default: 'sqlite' } } })
if (!STORES.includes(args.store)) throw new Error(`--store is one of ${STORES.join(', ')}`)
const onPostgres = args.store == 'postgres'
const names = args.only ? args.only.split(',') : Object.keys(SCENARIOS).filter((n) => !onPostgres || n != 'sdk-storm')
for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n}; one of ${Object.keys(SCENARIOS).join(', ')}`)

const head = await header(`Reliability (${args.short ? 'short' : 'full'}${onPostgres ? ', two nodes on PostgreSQL' : ''})`, commandLine('bench/reliability/run.mjs'))
const results = []
const t0 = performance.now()
for (const name of names) {
  progress(`reliability: ${name}…`)
  const s0 = performance.now()
  try {
    results.push({ ...(await SCENARIOS[name]({ short: args.short, store: args.store })), seconds: (performance.now() - s0) / 1000 })
  } catch (error) {
    results.push({ name, ok: false, rows: [['error', String(error?.stack ?? error).split('\n').slice(0, 3).join(' ')]], settings: '', notes: '', seconds: (performance.now() - s0) / 1000 })
  }
  const r = results[results.length - 1]
  progress(`reliability: ${name}: ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(1)} s`)
}

console.log(head)
for (const r of results) {
  console.log(`#### ${r.name}: ${r.ok ? 'PASS' : 'FAIL'} (${r.seconds.toFixed(1)} s)\n`)
  if (r.settings) console.log(`${r.settings}\n`)
  console.log(table(['check', 'value'], r.rows))
  if (r.notes) console.log(`\n${r.notes}`)
  console.log()
}
const failed = results.filter((r) => !r.ok)
console.log(`reliability: ${results.length - failed.length} passed, ${failed.length} failed in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
process.exitCode = failed.length ? 1 : 0
