#!/usr/bin/env node
// npm run bench:size — our SDK builds and four peers' script-tag files:
// raw, then re-minified with terser (so unminified dists compare fairly),
// gzip -9 and brotli 11.
// Peers are installed with `npm install` at pinned versions into a folder
// under the OS temp dir, never into this repo.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { minify } from 'terser'
import { ROOT, ensureBuilt, tempDir } from './lib/relay.mjs'
import { commandLine, fmt, header, progress, table } from './lib/report.mjs'

/**
 * The aim for the script-tag build: room under the 3,000 B budget that
 * scripts/size.mjs enforces, for what later helpers will need (track,
 * purchased and telegramLink took most of what there was).
 */
const GOAL_GZIP = 2800

const PEERS = [
  { pkg: '@plausible-analytics/tracker', version: '0.4.6', files: ['plausible.js'] },
  { pkg: '@snowplow/browser-tracker', version: '4.10.1', files: ['dist/index.umd.min.js'] },
  { pkg: '@segment/analytics-next', version: '1.84.3', files: ['dist/umd/standalone.js'], note: 'plus lazy chunks fetched at run time' },
  { pkg: 'posthog-js', version: '1.449.2', files: ['dist/array.js', 'dist/array.full.js', 'dist/module.slim.js'] },
]

const gzip = (b) => gzipSync(b, { level: 9 }).length
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
const kB = (n) => fmt(n / 1000, 1)

async function measure(code) {
  const raw = Buffer.byteLength(code)
  const out = await minify(code, { compress: true, mangle: true, format: { comments: false } })
  const min = Buffer.from(out.code)
  return { raw, min: min.length, gz: gzip(min), br: brotli(min) }
}

async function ours() {
  ensureBuilt()
  const rows = []
  for (const [file, what] of [
    ['dist/esputnik-tracker.min.js', 'script tag (IIFE, js-cookie inside)'],
    ['dist/index.mjs', 'npm ESM (js-cookie external)'],
  ]) {
    const code = readFileSync(join(ROOT, file))
    // As shipped (rollup's terser), and through the same terser pass as the peers.
    rows.push({ name: `esputnik-tracker (this repo)`, file, what, shipped: { raw: code.length, gz: gzip(code), br: brotli(code) }, ...(await measure(code.toString())) })
  }
  return rows
}

function installPeers() {
  const dir = tempDir('peers')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-peers', private: true }))
  const npm = (specs) =>
    spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', ...specs], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    })
  const failed = new Map()
  progress(`bench:size: npm install of ${PEERS.length} peers into ${dir}`)
  const all = npm(PEERS.map((p) => `${p.pkg}@${p.version}`))
  if (all.status != 0) {
    // Find which one this registry cannot give, one at a time.
    for (const p of PEERS) {
      const r = npm([`${p.pkg}@${p.version}`])
      if (r.status != 0) failed.set(p.pkg, (r.stderr.split('\n').find((l) => /ERR!/.test(l) && !/A complete log/.test(l)) ?? 'npm install failed').trim())
    }
  }
  return { dir, failed }
}

async function peers() {
  const { dir, failed } = installPeers()
  const rows = []
  for (const p of PEERS) {
    for (const file of p.files) {
      const base = { name: `${p.pkg} ${p.version}`, file, what: p.note ?? '' }
      if (failed.has(p.pkg)) {
        rows.push({ ...base, what: `not installed from this registry: ${failed.get(p.pkg)}` })
        continue
      }
      let code
      try {
        code = readFileSync(join(dir, 'node_modules', p.pkg, file), 'utf8')
      } catch {
        rows.push({ ...base, what: 'file not in the package at this version' })
        continue
      }
      progress(`bench:size: terser ${p.pkg}/${file}`)
      rows.push({ ...base, ...(await measure(code)) })
    }
  }
  return rows
}

const mine = await ours()
const theirs = await peers()
const iife = mine[0]

console.log(await header('Size (bench:size)', commandLine('bench/size.mjs')))
console.log(
  table(
    ['package', 'file', 'raw B', 'terser B', 'min+gz B', 'min+br B', 'gz kB', 'br kB', 'note'],
    [...mine, ...theirs].map((r) => [r.name, r.file, fmt(r.raw), fmt(r.min), fmt(r.gz), fmt(r.br), kB(r.gz), kB(r.br), r.what]),
  ),
)
console.log()
console.log(
  table(
    ['our build as shipped', 'raw B', 'gzip -9 B', 'brotli 11 B'],
    mine.map((r) => [r.file, fmt(r.shipped.raw), fmt(r.shipped.gz), fmt(r.shipped.br)]),
  ),
)
console.log()
const gap = iife.shipped.gz - GOAL_GZIP
console.log(
  `Aim: script tag ≤ ${fmt(GOAL_GZIP)} B gzip (budget 3,000 B). As shipped: ${fmt(iife.shipped.gz)} B → ` +
    (gap > 0 ? `${fmt(gap)} B over.` : `${fmt(-gap)} B to spare.`),
)
