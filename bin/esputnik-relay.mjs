#!/usr/bin/env node
// Runs the compiled relay (dist/relay), never TypeScript at run time.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/relay/ops/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('esputnik-relay: the relay is not built yet; run `npm run build:relay` (or `npm run build`) first\n')
  process.exit(1)
}
const { runCli } = await import(cli.href)
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
})
if (code !== 0) process.exit(code)
