import { ConfigError, loadConfig } from '../../../src/relay/ops/config.js'

/** What loadConfig refuses in `env`, one line per setting as the relay prints them at boot; `[]` when it loads. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}
