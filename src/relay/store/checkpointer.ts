/**
 * The WAL checkpointer, run in a worker thread (see `startCheckpointer` in
 * sqlite.ts). It has its own connection to the relay's file and, every
 * `everyMs`, copies the committed WAL into the database with
 * `wal_checkpoint(PASSIVE)`: WAL lets that run beside the writer, so the
 * relay's event loop never stalls on a checkpoint inside a commit.
 *
 * Messages to the parent: `{ type: 'checkpoint', busy, log, checkpointed }`
 * after each checkpoint, `{ type: 'closed' }` once it was told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

export interface CheckpointerData {
  path: string
  everyMs: number
  synchronous: 'NORMAL' | 'FULL'
}

export interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
}

const port = parentPort
if (port) {
  const { path, everyMs, synchronous } = workerData as CheckpointerData
  const db = new Database(path)
  // The checkpoint syncs the WAL before and the database after copying, as the relay's own would.
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('busy_timeout = 1000')
  db.pragma('wal_autocheckpoint = 0')
  const run = () => {
    try {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[]
      port.postMessage({ type: 'checkpoint', ...row })
    } catch (error) {
      // SQLITE_BUSY and the like: the next tick tries again.
      port.postMessage({ type: 'failed', message: (error as Error).message })
    }
  }
  const timer = setInterval(run, everyMs)
  port.on('message', (message: unknown) => {
    if (message != 'stop') return
    clearInterval(timer)
    db.close()
    port.postMessage({ type: 'closed' })
    port.close()
  })
}
