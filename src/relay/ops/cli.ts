import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openStore } from '../store/open.js'
import type { DeadLetter, Store } from '../store/types.js'
import { ConfigError, loadConfig } from './config.js'
import { ERASE_USAGE, eraseCommand } from './cli-erase.js'
import { describeEnv } from './env-schema.js'
import { serve } from './process.js'

export const USAGE = `Usage: esputnik-relay [command]

  (none), serve                     start the relay (settings from the environment)
  dead-letters list [--limit N] [--json]
                                    show events eSputnik refused, newest first
  dead-letters replay --all | ID…   queue dead letters again; a running relay sends them
  ${ERASE_USAGE}
  env                               print the environment variables as a Markdown table
  help                              this text

The store is the one the relay uses: PostgreSQL at DATABASE_URL when it is set,
else the SQLite file at SQLITE_PATH (default data/relay.db).`

export interface CliIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  /** Default: the store of the environment, PostgreSQL at DATABASE_URL or SQLite at SQLITE_PATH. */
  openStore?: () => Store | Promise<Store>
  now?: () => number
}

function formatDeadLetters(list: DeadLetter[]): string {
  if (list.length == 0) return 'No dead letters.'
  const rows = list.map((d) =>
    [new Date(d.deadAt).toISOString(), d.id, d.type, d.status ?? '-', d.attempts, d.reason.replace(/\s+/g, ' ').slice(0, 160)].join('  '),
  )
  return ['dead at                   id  type  status  attempts  reason', ...rows].join('\n')
}

const queuedAgain = (n: number) => `${n} dead letter${n == 1 ? '' : 's'} queued again.`

/** `dead-letters list|replay`; exits non-zero when it did not do all it was asked (an id that is no dead letter). */
async function deadLetters(args: string[], io: CliIo, store: Store): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { limit: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
  })
  const [action, ...ids] = positionals
  if (action == 'list') {
    const limit = Number(values.limit ?? 100)
    if (!Number.isInteger(limit) || limit < 1) {
      io.err(`dead-letters list --limit needs a whole number of 1 or more, not ${JSON.stringify(values.limit)}`)
      return 2
    }
    const list = await store.listDeadLetters({ limit })
    io.out(values.json ? JSON.stringify(list, null, 2) : formatDeadLetters(list))
    return 0
  }
  if (action == 'replay') {
    if (!values.all && ids.length == 0) {
      io.err('dead-letters replay needs --all or the ids to replay')
      return 2
    }
    const now = (io.now ?? Date.now)()
    if (values.all) {
      const n = await store.replayDeadLetters('all', now)
      io.out(n ? queuedAgain(n) : 'No dead letters to replay.')
      return 0
    }
    // One id at a time, so the ones that are no dead letter can be named.
    const missed: string[] = []
    for (const id of new Set(ids)) if ((await store.replayDeadLetters([id], now)) == 0) missed.push(id)
    io.out(queuedAgain(new Set(ids).size - missed.length))
    if (!missed.length) return 0
    io.err(`esputnik-relay: no dead letter ${missed.join(', ')} (an unknown id, or one already queued again or sent)`)
    return 1
  }
  io.err(USAGE)
  return 2
}

/** Runs one command; returns the exit code (serve keeps running and returns 0). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command = 'serve', ...rest] = argv
  try {
    switch (command) {
      case 'serve':
        await serve(io.env)
        return 0
      case 'env':
        io.out(describeEnv())
        return 0
      case 'dead-letters':
      case 'erase': {
        const config = loadConfig(io.env, { onWarning: (line) => io.err(`esputnik-relay: warning: ${line}`) })
        if (!io.openStore && !config.databaseUrl && !existsSync(config.sqlitePath)) {
          io.err(`esputnik-relay: no relay store at ${config.sqlitePath}; set SQLITE_PATH (or DATABASE_URL) to the relay's database`)
          return 1
        }
        const store = await (io.openStore?.() ?? openStore(config))
        try {
          return await (command == 'erase' ? eraseCommand(rest, io, store) : deadLetters(rest, io, store))
        } finally {
          await store.close()
        }
      }
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE)
        return 0
      default:
        io.err(`unknown command ${command}\n\n${USAGE}`)
        return 2
    }
  } catch (error) {
    io.err(`esputnik-relay: ${error instanceof ConfigError ? error.message : (error as Error).message}`)
    return 1
  }
}
