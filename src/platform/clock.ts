// Where services get the time, so tests can move it without sleeping.

export interface Clock {
  now(): Date
}

export const systemClock: Clock = {
  now: () => new Date(),
}

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  private ms: number

  constructor(start: Date) {
    this.ms = start.getTime()
  }

  now(): Date {
    return new Date(this.ms)
  }

  advance(ms: number): void {
    this.ms += ms
  }

  set(date: Date): void {
    this.ms = date.getTime()
  }
}
