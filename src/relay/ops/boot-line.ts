import { resolve } from 'node:path'
import { BUDGET_NAMES, rateOf, type BudgetConfig } from '../esputnik/budgets.js'
import { ESPUTNIK_ORIGIN, type Config } from './config.js'

/** The settings the boot line reads. */
export type BootConfig = BudgetConfig &
  Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'sqlitePath' | 'sqliteSynchronous' | 'apiKey' | 'baseUrl' | 'trustProxy'>

/** What one relay runs, as the boot line shows it; each field a phrase. */
export interface BootFacts {
  store: string
  upstream: string
  /** Calls per second of each budget (esputnik/budgets.ts), per process. */
  budgets: Record<string, number>
  trustProxy: string
  /** `METHOD /path`, HEAD and OPTIONS left out. */
  routes: string[]
}

export interface BootContext {
  /** Where the built-in sandbox answers, once the relay listens. */
  sandboxUrl: string
  routes: string[]
  /** A store handed in by the caller: the settings do not say which it is. */
  isStoreInjected?: boolean
}

/** The store, with the host and database of a PostgreSQL URL only: never its user or password. */
export function describeStore(config: BootConfig): string {
  if (!config.databaseUrl) return `SQLite ${resolve(config.sqlitePath)} (synchronous ${config.sqliteSynchronous})`
  const url = new URL(config.databaseUrl)
  const host = url.hostname || url.searchParams.get('host') || 'localhost'
  const database = decodeURIComponent(url.pathname.slice(1)) || '(the user’s default database)'
  return `PostgreSQL ${host}:${url.port || 5432}/${database} (pool ${config.databasePoolSize})`
}

export function describeUpstream(config: BootConfig, sandboxUrl: string): string {
  if (!config.baseUrl) return `the built-in sandbox at ${sandboxUrl} (no ESPUTNIK_API_KEY: nothing reaches eSputnik)`
  if (!config.apiKey) return `${config.baseUrl} without an API key (a sandbox; nothing reaches eSputnik)`
  return config.baseUrl == ESPUTNIK_ORIGIN ? `eSputnik ${config.baseUrl}` : `${config.baseUrl} (ESPUTNIK_BASE_URL) with the API key`
}

export function describeTrustProxy(trust: Config['trustProxy']): string {
  if (trust === false) return 'none (each client is the address it connects from)'
  if (trust === true) return 'every proxy (X-Forwarded-For as the client sent it)'
  if (typeof trust == 'number') return `${trust} hop${trust == 1 ? '' : 's'}`
  return trust.join(', ')
}

/** The facts of the boot line; the budgets come from esputnik/budgets.ts, so a new one shows by itself. */
export function bootFacts(config: BootConfig, context: BootContext): BootFacts {
  return {
    store: context.isStoreInjected ? 'a store handed to buildApp' : describeStore(config),
    upstream: describeUpstream(config, context.sandboxUrl),
    budgets: Object.fromEntries(BUDGET_NAMES.map((budget) => [budget, rateOf(budget, config)])),
    trustProxy: describeTrustProxy(config.trustProxy),
    routes: context.routes,
  }
}

/** The boot line's text: what runs, in one line. */
export function bootLine(facts: BootFacts): string {
  const budgets = Object.entries(facts.budgets).map(([name, rate]) => `${name} ${rate}/s`)
  return [
    `store ${facts.store}`,
    `upstream ${facts.upstream}`,
    `budgets ${budgets.join(', ')} per process`,
    `trust proxy ${facts.trustProxy}`,
    `routes ${facts.routes.join(', ')}`,
  ].join('; ')
}
