import { byId, childrenLoader, loaderByKey } from './loaders';

describe('batched loaders', () => {
  it('fetches a batch in one call and gives null for a key without a row', async () => {
    const calls: (readonly string[])[] = [];
    const loader = byId(async (ids) => {
      calls.push(ids);
      return [
        { id: 'b', n: 2 },
        { id: 'a', n: 1 },
      ];
    });
    expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('c')])).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      null,
    ]);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('matches rows by any key', async () => {
    const loader = loaderByKey(
      async () => [{ requestId: 'r1', score: 9 }],
      (row) => row.requestId,
    );
    expect(await Promise.all([loader.load('r1'), loader.load('r2')])).toEqual([{ requestId: 'r1', score: 9 }, null]);
  });

  it('groups children under their parent in the order fetched, [] for a parent without any', async () => {
    const loader = childrenLoader(
      async () => [
        { parent: 'p2', n: 1 },
        { parent: 'p1', n: 2 },
        { parent: 'p2', n: 3 },
      ],
      (row) => row.parent,
    );
    expect(await Promise.all([loader.load('p1'), loader.load('p2'), loader.load('p3')])).toEqual([
      [{ parent: 'p1', n: 2 }],
      [
        { parent: 'p2', n: 1 },
        { parent: 'p2', n: 3 },
      ],
      [],
    ]);
  });
});
