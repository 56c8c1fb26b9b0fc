/**
 * Environment names that look like a setting but are not one: `DATABSE_URL`
 * would otherwise fall back to SQLite in silence (each node its own queue),
 * and `ESPUTNIK_APIKEY` would send every event to the sandbox. Pure: it takes
 * the names of the settings and of the environment, and says which of the
 * latter resemble which of the former.
 */

/** A name of the environment that is not a setting but looks like one. */
export interface LookalikeName {
  name: string
  /** The setting it most resembles. */
  resembles: string
  /** `typo`: within two edits of a setting; `prefix`: it starts like the relay's own settings only do. */
  rule: 'typo' | 'prefix'
}

/** Settings shorter than this are not compared by edit distance: `HOST` is two edits from `HOME`, `PORT` from `SORT`. */
export const MIN_COMPARED_LENGTH = 8
/** Most edits (insert, delete, substitute, swap two neighbours) between a typo and its setting. */
export const MAX_EDITS = 2

/**
 * Names the system, the shell, Node and npm set for themselves: never judged,
 * whatever settings are added later. Exact names, then prefixes.
 */
const SYSTEM_NAMES = new Set([
  '_', 'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'SHLVL', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'TMPDIR',
  'HOSTNAME', 'MAIL', 'EDITOR', 'VISUAL', 'PAGER', 'DISPLAY', 'COLORTERM', 'INIT_CWD', 'CI',
])
const SYSTEM_PREFIXES = ['NODE_', 'npm_', 'LC_', 'XDG_', 'SSH_', 'GIT_', 'DBUS_', 'SYSTEMD_', 'JOURNAL_', 'INVOCATION_']

/**
 * First words of settings that other programs' variables begin with too
 * (an ORM's `DATABASE_HOST`, SQLite's own `SQLITE_TMPDIR`, `LOG_FORMAT`,
 * `SERVER_NAME`, `AUTH_SECRET`, `SDK_ROOT`, `ALLOWED_HOSTS`, `RETRY_COUNT`):
 * they are no sign of the relay. Every other first word of a setting (`ESPUTNIK_`,
 * `UPSTREAM_`, `SANDBOX_`, `HELD_`, `REPLAY_`, …) is one, so a new family of
 * settings is judged with no change here.
 */
const SHARED_WORDS = new Set(['DATABASE', 'SQLITE', 'LOG', 'SERVER', 'AUTH', 'SDK', 'ALLOWED', 'TRUST', 'RETRY', 'UNKNOWN'])

export const isSystemName = (name: string) => SYSTEM_NAMES.has(name) || SYSTEM_PREFIXES.some((prefix) => name.startsWith(prefix))

/** The prefixes (`ESPUTNIK_`, …) only the relay's settings use, from the settings' own names. */
export function relayPrefixes(settings: readonly string[]): string[] {
  const words = settings.filter((s) => s.includes('_')).map((s) => s.slice(0, s.indexOf('_')))
  return [...new Set(words)].filter((word) => !SHARED_WORDS.has(word)).map((word) => `${word}_`)
}

/** Optimal string alignment distance (Levenshtein plus swaps of two neighbours), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] == b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = best
    }
  }
  return rows[a.length]![b.length]!
}

/** The setting nearest to `name` among `candidates`, the first of equals. */
function nearest(name: string, candidates: readonly string[]): { setting: string; edits: number } | undefined {
  let best: { setting: string; edits: number } | undefined
  for (const setting of candidates) {
    const edits = editDistance(name, setting)
    if (!best || edits < best.edits) best = { setting, edits }
  }
  return best
}

/**
 * The names of `env` that are no setting but resemble one, in the order of
 * `env`. A name is judged when it is set (not undefined), not a setting and
 * not the system's (isSystemName).
 */
export function findLookalikeNames(env: Record<string, string | undefined>, settings: readonly string[]): LookalikeName[] {
  const known = new Set(settings)
  const compared = settings.filter((s) => s.length >= MIN_COMPARED_LENGTH)
  const prefixes = relayPrefixes(settings)
  const found: LookalikeName[] = []
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || known.has(name) || isSystemName(name)) continue
    const typo = nearest(name, compared)
    if (typo && typo.edits <= MAX_EDITS) {
      found.push({ name, resembles: typo.setting, rule: 'typo' })
      continue
    }
    const prefix = prefixes.find((p) => name.startsWith(p))
    const family = prefix && nearest(name, settings.filter((s) => s.startsWith(prefix)))
    if (family) found.push({ name, resembles: family.setting, rule: 'prefix' })
  }
  return found
}

/** One line of the boot error (or warning) about a lookalike name. */
export function explainLookalike({ name, resembles, rule }: LookalikeName): string {
  const why = rule == 'typo' ? `did you mean ${resembles}?` : `names starting ${resembles.slice(0, resembles.indexOf('_') + 1)} are the relay's; the nearest is ${resembles}`
  return `${name}: is not a setting; ${why}`
}
