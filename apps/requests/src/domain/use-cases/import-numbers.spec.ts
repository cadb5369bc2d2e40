import { ProvisionalNumbers } from './import-numbers';

describe('the provisional request numbers of an import', () => {
  it('fills the real numbers wherever the replay put a provisional one, per year in the order drawn', async () => {
    const numbers = new ProvisionalNumbers();
    numbers.drawingFor('OLD-1');
    const a = await numbers.next(2026);
    numbers.drawingFor('OLD-2');
    const b = await numbers.next(2025);
    numbers.drawingFor('OLD-3');
    const c = await numbers.next(2026);
    const at = new Date('2026-01-05T08:00:00Z');
    const records = {
      requests: [{ number: a, registeredAt: at }, { number: b }, { number: c }],
      replies: [{ body: `Your request ${a} (and ${c}) is in handling.` }],
      history: [{ details: { note: [`see ${b}`], untouched: 'text without a number', n: 3 } }],
    };
    const events = [{ number: c, nested: { requestNumber: c } }];
    expect(numbers.counts()).toEqual(
      new Map([
        [2026, 2],
        [2025, 1],
      ]),
    );

    const slots = numbers.find([records, events]);
    numbers.fill(
      slots,
      new Map([
        [2026, 41],
        [2025, 7],
      ]),
    );
    expect(records).toEqual({
      requests: [
        { number: 'SC-2026-000041', registeredAt: at },
        { number: 'SC-2025-000007' },
        { number: 'SC-2026-000042' },
      ],
      replies: [{ body: 'Your request SC-2026-000041 (and SC-2026-000042) is in handling.' }],
      history: [{ details: { note: ['see SC-2025-000007'], untouched: 'text without a number', n: 3 } }],
    });
    expect(records.requests[0].registeredAt).toBe(at);
    expect(events).toEqual([{ number: 'SC-2026-000042', nested: { requestNumber: 'SC-2026-000042' } }]);
  });

  it('leaves text alone that only looks like a provisional number of another call', async () => {
    const mine = new ProvisionalNumbers();
    const other = new ProvisionalNumbers();
    const foreign = await other.next(2026);
    const own = await mine.next(2026);
    const values = [{ body: `${foreign} / ${own}` }];
    mine.fill(mine.find(values), new Map([[2026, 1]]));
    expect(values[0].body).toBe(`${foreign} / SC-2026-000001`);
  });

  it('names the history in a message that quotes a provisional number, the numbers not being drawn yet', async () => {
    const numbers = new ProvisionalNumbers();
    numbers.drawingFor('OLD-4711');
    const number = await numbers.next(2026);
    expect(numbers.readable(`The survey of request ${number} was already answered`)).toBe(
      'The survey of request OLD-4711 was already answered',
    );
  });
});
