#!/usr/bin/env node
// Prints the raw, gzip (-9) and brotli (11) size of each SDK build and fails
// when the script-tag build is over its budget, or when any build holds
// eval or new Function (CSP without unsafe-eval must keep working).
import { readFileSync } from 'node:fs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/** Bytes after gzip -9 of the script-tag build: the size every visitor downloads. */
export const IIFE_BUDGET = 3000

const builds = ['dist/esputnik-tracker.min.js', 'dist/index.mjs', 'dist/index.cjs']
const rows = []
let failed = false
for (const file of builds) {
  let code
  try {
    code = readFileSync(file)
  } catch {
    console.error(`size: ${file} is missing; run npm run build first`)
    process.exit(1)
  }
  const gzip = gzipSync(code, { level: 9 }).length
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  rows.push({ file, raw: code.length, gzip, brotli })
  if (/\beval\s*\(|new\s+Function\s*\(/.test(code.toString())) {
    console.error(`size: ${file} contains eval or new Function`)
    failed = true
  }
}
console.log('build'.padEnd(32) + 'raw B'.padStart(8) + 'gzip B'.padStart(9) + 'brotli B'.padStart(10))
for (const { file, raw, gzip, brotli } of rows) {
  console.log(file.padEnd(32) + String(raw).padStart(8) + String(gzip).padStart(9) + String(brotli).padStart(10))
}
const iife = rows[0]
if (iife.gzip > IIFE_BUDGET) {
  console.error(`size: ${iife.file} is ${iife.gzip} B gzip, over the ${IIFE_BUDGET} B budget`)
  failed = true
} else {
  console.log(`size: ${iife.file} is within the ${IIFE_BUDGET} B gzip budget (${IIFE_BUDGET - iife.gzip} B to spare)`)
}
process.exit(failed ? 1 : 0)
