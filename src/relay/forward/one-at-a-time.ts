/**
 * `next` run for one caller at a time, in the order they asked, so two
 * callers of a pacer never get the same slot. A turn that fails (its caller
 * stopped waiting) does not hold up the next one.
 */
export function oneAtATime<A, R>(next: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let chain: Promise<void> = Promise.resolve()
  return (arg) => {
    const turn = chain.then(() => next(arg))
    chain = turn.then(
      () => undefined,
      () => undefined,
    )
    return turn
  }
}
