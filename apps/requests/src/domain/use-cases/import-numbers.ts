import { randomUUID } from 'node:crypto';
import type { RequestNumbers } from '../ports';
import { formatRequestNumber } from '../request';

/** A string value inside the import's records or events that quotes a provisional number. */
interface Slot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
}

/**
 * The request numbers of an import call, drawn last. Numbers stay gapless (docs/architecture.md,
 * "Request numbers"), so the year's counter row is locked from the draw until the commit; an
 * import that drew at each registration held it through its whole replay, and concurrent
 * calls ran one after the other. So the replay gets provisional numbers: a token per
 * registration, unique to the call (a random mark no input can quote), which the use cases put
 * wherever they put a number (the request, standard texts in replies, event payloads). When the
 * replay is done, `find` lists where the tokens stand, the import draws one block per year for
 * all its registrations in one statement, and `fill` writes the real numbers there, in the order
 * the histories registered: the same numbers as drawing one by one, and only the final writes
 * of concurrent calls wait for each other.
 */
export class ProvisionalNumbers implements RequestNumbers {
  private readonly mark = `\uE000${randomUUID()}#`;
  private readonly pattern = new RegExp(`${this.mark}(\\d+)\uE001`, 'g');
  private readonly drawn: { year: number; label: string }[] = [];
  private label = '';

  /** The registrations from now on belong to this history (its import key names them in messages). */
  drawingFor(label: string): void {
    this.label = label;
  }

  async next(year: number): Promise<string> {
    this.drawn.push({ year, label: this.label });
    return this.token(this.drawn.length - 1);
  }

  private token(index: number): string {
    return `${this.mark}${index}\uE001`;
  }

  /** Numbers to reserve per year. */
  counts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const { year } of this.drawn) counts.set(year, (counts.get(year) ?? 0) + 1);
    return counts;
  }

  /**
   * Where provisional numbers stand in these values (strings anywhere in plain objects and
   * arrays; dates and other class instances are not entered). Run before the draw, so the
   * time the counter stays locked does not grow with the size of the records.
   */
  find(values: readonly unknown[]): Slot[] {
    const slots: Slot[] = [];
    const mark = this.mark;
    // Strings are looked at in place and only containers entered: an import's records and events
    // hold millions of values, most of them strings and numbers.
    const walk = (container: Record<string, unknown> | unknown[]): void => {
      if (Array.isArray(container)) {
        for (let i = 0; i < container.length; i++) {
          const value: unknown = container[i];
          if (typeof value === 'string') {
            if (value.includes(mark)) slots.push({ holder: container, key: i });
          } else if (isContainer(value)) walk(value);
        }
        return;
      }
      for (const k in container) {
        if (!Object.prototype.hasOwnProperty.call(container, k)) continue;
        const value = container[k];
        if (typeof value === 'string') {
          if (value.includes(mark)) slots.push({ holder: container, key: k });
        } else if (isContainer(value)) walk(value);
      }
    };
    walk(values as unknown[]);
    return slots;
  }

  /** Writes the real numbers into the slots, from the first number of each year's block. */
  fill(slots: readonly Slot[], firsts: ReadonlyMap<number, number>): void {
    const next = new Map(firsts);
    const numbers = this.drawn.map(({ year }) => {
      const n = next.get(year);
      if (n === undefined) throw new Error(`no request numbers were reserved for ${year}`);
      next.set(year, n + 1);
      return formatRequestNumber(year, n);
    });
    // Most slots are a number field that holds a token and nothing else (the request's and every
    // event's `number`): looked up whole, without a regular expression over it.
    const whole = new Map(numbers.map((number, i) => [this.token(i), number]));
    for (const { holder, key } of slots) {
      const text = (holder as Record<string | number, string>)[key];
      (holder as Record<string | number, string>)[key] =
        whole.get(text) ?? text.replace(this.pattern, (_, i: string) => numbers[+i]);
    }
  }

  /** A message that quotes provisional numbers, each replaced by the import key of its history. */
  readable(text: string): string {
    return text.replace(this.pattern, (_, i: string) => this.drawn[+i]?.label ?? 'the imported request');
  }
}

/** An array or a plain object (dates and other class instances are not entered). */
const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};
