import type { Driver } from '../scenarios/driver.js'

/** A driver on a fresh profile, as the runner opens one per scenario. */
export interface OpenDriver extends Driver {
  /** The browser's name and version, for the runner's report. */
  readonly version: string
  /** Closes its tabs and drops the profile. */
  end(): Promise<void>
}

/** A launched engine (e2e/engines/webkit.ts, firefox.ts): opens fresh drivers until closed. */
export interface Engine {
  open(): Promise<OpenDriver>
  close(): Promise<void>
}
