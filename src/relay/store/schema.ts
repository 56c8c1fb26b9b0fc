/**
 * The part of the schema both stores write to the letter: the partial
 * indexes of the queue's access paths, in the first migration of each
 * (sqlite-schema.ts, postgres-schema.ts). It belongs to released migrations,
 * so never edit it: change the schema with a new migration in each store.
 */
export const QUEUE_INDEXES = `
  -- Partial indexes keep each access path small whatever the number of sent rows.
  CREATE INDEX jobs_due ON jobs (next_attempt_at, seq) WHERE state = 'queued';
  CREATE INDEX jobs_held_age ON jobs (received_at) WHERE state = 'held';
  CREATE INDEX jobs_sent_age ON jobs (received_at) WHERE state = 'sent';
  CREATE INDEX jobs_dead ON jobs (done_at) WHERE state = 'dead';`
