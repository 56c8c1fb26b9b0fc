/** The server's programs: PG_BINDIR, or the newest /usr/lib/postgresql/<major>/bin. */
export function findBinDir(): string

export interface Cluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: a user that may create databases. */
  url: string
  /** Stops the server at once and removes its folder. */
  stop(): void
}

/** A throwaway PostgreSQL cluster in a temp folder on a free loopback port; `settings` are more `-c name=value`. */
export function startCluster(options?: { settings?: string[] }): Promise<Cluster>
