// A throwaway PostgreSQL cluster in a temp folder, on a free loopback port,
// for the tests (test/postgres-setup.ts) and the benchmarks (bench/lib/postgres.mjs).
// Plain JavaScript so both vitest and plain `node` load it; types in pg-cluster.d.mts.
import { spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.mjs'

/** Debian puts the server's programs in /usr/lib/postgresql/<major>/bin and links none into PATH; the newest wins. */
export function findBinDir() {
  const override = process.env.PG_BINDIR
  if (override) return override
  const root = '/usr/lib/postgresql'
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : []
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) {
    throw new Error('no PostgreSQL server found under /usr/lib/postgresql/*/bin: run scripts/ensure-postgres.sh, or set TEST_DATABASE_URL (or PG_BINDIR)')
  }
  return join(root, newest, 'bin')
}

/**
 * initdb and postgres refuse to run as root. As root (CI) they run as the
 * `postgres` user that Debian's package creates, in a folder that user owns.
 */
function runAs() {
  if (process.getuid?.() !== 0) return { prefix: [] }
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' })
  const uid = id('-u')
  if (uid.status != 0) throw new Error('running as root, and there is no postgres user to run the test cluster as')
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(uid.stdout), gid: Number(id('-g').stdout) }
}

/**
 * Memory when there is room: every test creates a database (a 7 MB copy of
 * template1), which takes ~20 ms on tmpfs and 250–350 ms on this machine's
 * disk. Docker gives /dev/shm only 64 MB by default, so check first.
 */
function clusterParent() {
  try {
    const shm = statfsSync('/dev/shm')
    if (shm.bavail * shm.bsize > 1024 ** 3) return '/dev/shm'
  } catch {
    // No /dev/shm (not Linux): the disk will do.
  }
  return tmpdir()
}

/**
 * Starts the cluster; resolves with its URL (user `postgres`, database
 * `postgres`, trust on loopback) and `stop()`, which stops it and removes its folder.
 */
export async function startCluster({ settings = [] } = {}) {
  const bin = findBinDir()
  const user = runAs()
  const dir = mkdtempSync(join(clusterParent(), 'esputnik-pg-'))
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  const run = (program, args) => {
    const [command, ...rest] = [...user.prefix, join(bin, program), ...args]
    const result = spawnSync(command, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    return { ok: result.status == 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}` }
  }
  const stop = () => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
    rmSync(dir, { recursive: true, force: true })
  }

  // Trust on loopback and a socket in our own folder: nothing outside this run can reach it.
  const init = run('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '--locale=C', '--encoding=UTF8'])
  if (!init.ok) {
    stop()
    throw new Error(`initdb failed:\n${init.output}`)
  }
  // A throwaway cluster may lose everything in a crash: no fsync, no full-page writes, no waiting for the WAL;
  // a small max_wal_size keeps the WAL of all those database copies from piling up in memory.
  const all = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300', 'max_wal_size=128MB', 'min_wal_size=32MB', ...settings]
  let failure = ''
  // Another process may take the free port between our probe and the server's bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...all.map((s) => `-c ${s}`)].join(' ')
    const start = run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start'])
    if (start.ok) return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
    failure = `${start.output}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`
  }
  stop()
  throw new Error(`the throwaway PostgreSQL server did not start:\n${failure}`)
}
