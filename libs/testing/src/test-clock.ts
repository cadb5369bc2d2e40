/** A clock tests move by hand: rules about time are tested without sleeping. */
export class TestClock {
  private current: Date;

  constructor(start: Date | string = '2026-11-23T09:00:00Z') {
    this.current = new Date(start);
  }

  readonly now = (): Date => new Date(this.current.getTime());

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
