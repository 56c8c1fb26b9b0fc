/** A statement's outcome: the value itself (SQLite) or a Promise of it (PostgreSQL). */
export type Answer<T> = T | Promise<T>

/** A decision in progress: it yields each statement's answer and is resumed with its value. */
export type Work<T> = Generator<unknown, T, unknown>

/** Inside a decision: `const rows = yield* answered(s.links(visitor))`. */
export function* answered<T>(answer: Answer<T>): Generator<Answer<T>, T, unknown> {
  return (yield answer) as T
}
