/** Time is a dependency: services take a clock so tests can fix it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(at)
  return {
    now: () => new Date(current),
    set(next) {
      current = new Date(next)
    },
    advance(ms) {
      current = new Date(current.getTime() + ms)
    },
  }
}
