// What every bench prints first and last: when, on what machine, with which
// command, and its numbers as Markdown tables that paste into RESULTS.md.
import { execFileSync, spawn } from 'node:child_process'
import { cpus, freemem, loadavg, totalmem } from 'node:os'

const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}

/** `nproc`, the Mem line of `free -h` and the load average: the machine is shared, so load says how quiet it was. */
export function machine() {
  const nproc = sh('nproc', []) || String(cpus().length)
  const mem = sh('free', ['-h']).split('\n').find((l) => l.startsWith('Mem:'))?.replace(/\s+/g, ' ') ??
    `${(totalmem() / 2 ** 30).toFixed(1)}Gi total, ${(freemem() / 2 ** 30).toFixed(1)}Gi free`
  const cpu = cpus()[0]?.model ?? '?'
  const load = loadavg().map((l) => l.toFixed(2)).join(' ')
  return { nproc, mem, cpu, load, node: process.version }
}

const SPIN = `const t0=performance.now(),c0=process.cpuUsage();let x=0;while(performance.now()-t0<1000)x+=Math.sqrt(x+1);const c=process.cpuUsage(c0);console.log((c.user+c.system)/1e3/(performance.now()-t0))`

/**
 * How many cores two busy processes really get together, 0 to 2. This VM
 * says nproc 2, but while others share the host two spinning processes have
 * been measured at 0.8 cores in all: the figure every number here depends on.
 */
export async function cpuCapacity(n = 2) {
  const one = () =>
    new Promise((resolve) => {
      let out = ''
      const child = spawn(process.execPath, ['-e', SPIN], { stdio: ['ignore', 'pipe', 'ignore'] })
      child.stdout.on('data', (d) => (out += d))
      child.on('exit', () => resolve(Number(out) || 0))
    })
  const shares = await Promise.all(Array.from({ length: n }, one))
  return shares.reduce((a, b) => a + b, 0)
}

/** The header block: date, machine, exact command. */
export async function header(title, command) {
  const m = machine()
  const cores = await cpuCapacity()
  return [
    `### ${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: nproc ${m.nproc}; free -h ${m.mem}; ${m.cpu}; node ${m.node}`,
    `- load average before the run (1/5/15 min): ${m.load}; two busy processes got ${cores.toFixed(2)} cores together (2.00 on a quiet machine)`,
    `- command: \`${command}\``,
    '',
  ].join('\n')
}

/** A Markdown table: `rows` is a list of arrays (or objects, keyed by `columns`). */
export function table(columns, rows) {
  const cells = rows.map((r) => (Array.isArray(r) ? r : columns.map((c) => r[c])).map((v) => (v === undefined || v === null ? '–' : String(v))))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)))
  const line = (r) => `| ${r.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
  return [line(columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n')
}

/** Number formatting for tables: `fmt(1234.5)` → `1,234.5`. */
export const fmt = (n, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Percentile of a sorted-or-not list of numbers (nearest rank). */
export function percentile(values, p) {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** The command line as the user typed it, for the header: `npm run x -- args` when run through npm. */
export function commandLine(script) {
  const args = process.argv.slice(2).join(' ')
  const npm = process.env.npm_lifecycle_event
  if (!npm) return `node ${script}${args ? ` ${args}` : ''}`
  // The npm script's own arguments (`--short` of reliability:short) are not ones the user added.
  const own = (process.env.npm_lifecycle_script ?? '').split(/\s+/).slice(2).join(' ')
  const extra = own && args.startsWith(own) ? args.slice(own.length).trim() : args
  return `npm run ${npm}${extra ? ` -- ${extra}` : ''}`
}

/** Prints a line to stderr: progress goes there, so stdout is only the report. */
export const progress = (...parts) => process.stderr.write(`${parts.join(' ')}\n`)
