/** held: waits for the visitor's link; queued: to be sent; sent and dead: done. */
export type JobState = 'held' | 'queued' | 'sent' | 'dead'
