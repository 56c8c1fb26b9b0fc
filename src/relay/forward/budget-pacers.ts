import { BUDGET_NAMES, BUDGETS, rateOf, type BudgetConfig, type BudgetName } from '../esputnik/budgets.js'
import type { Config } from '../ops/config.js'
import { ENV_SCHEMA } from '../ops/env-schema.js'
import type { BudgetLedger } from '../store/budget-ledger.js'
import { createPacer, type Pacer } from './pacer.js'
import { createSharedBudgets } from './shared-budgets.js'

export type BudgetPacersConfig = BudgetConfig & Pick<Config, 'rateGuardMs' | 'forwardStartDelayMs' | 'upstreamTimeoutMs'>

/** What the forwarder's calls wait on: a pacer per budget (esputnik/budgets.ts), however the budgets are kept. */
export interface BudgetPacers {
  readonly pacers: Record<BudgetName, Pacer>
  /** Calls a second this node can count on for a budget now. */
  rateNow(budget: BudgetName): number
  start(): void
  /** Once no call is in flight. */
  stop(): Promise<void>
}

/** The environment variable that sets a budget, e.g. UPSTREAM_RATE_PER_SEC for events. */
export function settingOf(budget: BudgetName): string {
  return Object.entries(ENV_SCHEMA).find(([, s]) => s.key == BUDGETS[budget])?.[0] ?? BUDGETS[budget]
}

/**
 * With a ledger (PostgreSQL: several nodes may share the database) every
 * budget in BUDGETS is the account's, shared by the nodes (shared-budgets.ts);
 * without one (SQLite: one relay process) each is this process's, paced in
 * memory (pacer.ts).
 */
export function createBudgetPacers(
  config: BudgetPacersConfig,
  deps: { ledger?: BudgetLedger; log: { info(fields: object, message: string): void; error(fields: object, message: string): void } },
): BudgetPacers {
  const guard = { windowMs: 1000 + config.rateGuardMs }
  if (deps.ledger) {
    const rates = Object.fromEntries(BUDGET_NAMES.map((b) => [b, rateOf(b, config)])) as Record<BudgetName, number>
    const shared = createSharedBudgets({
      ledger: deps.ledger,
      rates,
      settingOf,
      windowMs: guard.windowMs,
      timeoutMs: config.upstreamTimeoutMs,
      startDelayMs: config.forwardStartDelayMs,
      log: deps.log,
    })
    return { pacers: shared.pacers, rateNow: shared.fairRate, start: shared.start, stop: shared.stop }
  }
  const pacers = Object.fromEntries(
    BUDGET_NAMES.map((b) => [b, createPacer({ ratePerSec: rateOf(b, config), guardMs: config.rateGuardMs, startDelayMs: config.forwardStartDelayMs })]),
  ) as Record<BudgetName, Pacer>
  return { pacers, rateNow: (b) => rateOf(b, config), start() {}, stop: async () => {} }
}
