import { browsers } from './browsers.js'
import type { Scenario } from './context.js'
import { leaving } from './leaving.js'
import { loading } from './loading.js'
import { offline } from './offline.js'

/** Every browser scenario, in the order each engine runs them (e2e/sdk.spec.ts, e2e/engines/run.ts). */
export const scenarios: Scenario[] = [...loading, ...leaving, ...offline, ...browsers]

export { createScenarioContext, type Scenario, type ScenarioContext } from './context.js'
export type { Driver, Tab } from './driver.js'
