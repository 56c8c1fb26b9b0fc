import type { Config } from '../ops/config.js'

/**
 * eSputnik's rate limits as the relay splits them (docs/esputnik-api.md,
 * "Rate limits"): each budget gets a pacer of its own, at the rate of the
 * Config setting named here, and each operation names the budget its calls
 * spend. A new budget is one line here plus its setting in the env schema.
 */
export const BUDGETS = {
  /** Generate event: 350/s per account. */
  events: 'upstreamRatePerSec',
  /** Subscribe contact, out of the 200/s eSputnik allows every other method. */
  subscribe: 'upstreamSubscribeRatePerSec',
  /** Past events: 100/s per account. */
  past: 'upstreamPastRatePerSec',
  /** Add application tokens (Telegram), out of the same 200/s. */
  tokens: 'upstreamTokensRatePerSec',
  /** Add orders, out of the same 200/s (an order's status event spends `events`). */
  orders: 'upstreamOrdersRatePerSec',
} as const satisfies Record<string, keyof Config>

export type BudgetName = keyof typeof BUDGETS

/** The settings the budgets read. */
export type BudgetConfig = Pick<Config, (typeof BUDGETS)[BudgetName]>

export const BUDGET_NAMES = Object.keys(BUDGETS) as BudgetName[]

/** Calls per second of one budget. */
export const rateOf = (budget: BudgetName, config: BudgetConfig): number => config[BUDGETS[budget]]
