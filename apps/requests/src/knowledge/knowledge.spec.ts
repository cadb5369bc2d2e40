import type { DataSource } from 'typeorm';
import type { Caller } from '@servicecenter/platform-auth';
import { openDataSource } from '@servicecenter/platform-database';
import { DomainError } from '@servicecenter/platform-errors';
import { createTestDatabase, TestClock, type TestDatabase } from '@servicecenter/testing';
import { directoryData, knowledgeArticles } from '../directory/testing/demo-data';
import {
  directoryContextFactory,
  directoryEntities,
  directoryMigrations,
  directoryUnitOfWork,
  directoryAdmin,
  seedDirectory,
} from '../directory';
import { caller, dataOf, directorySchema, execute, type Page } from '../directory/testing/graphql-harness';
import {
  knowledgeContextFactory,
  knowledgeEntities,
  knowledgeMigrations,
  KnowledgeRepository,
  newKnowledgeArticle,
} from './index';
import { migrations as requestMigrations } from '../migrations';
import { RequestEntity } from '../persistence/entities/request.entity';
import { RequestRepository } from '../persistence/request.repository';

const CONSULTANT = caller('p-anna-devries', ['support_consultant']);
const MARIEKE = caller('p-marieke-bakker', ['customer'], 'cust-bakker-logistiek');
const ARTICLE = `id title published version createdAt updatedAt tags sourceRequestId createdBy { name } product { name }`;
type Article = { id: string; title: string; version: number; updatedAt: string };
const SOURCE_REQUEST = '7d1f0c36-4a51-4a8e-9a3e-0c5b8f1e2a10';

describe('knowledge articles on PostgreSQL', () => {
  const schema = directorySchema();
  const clock = new TestClock('2026-11-02T09:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('knowledge');
    dataSource = await openDataSource({
      url: db.url,
      entities: [RequestEntity, ...directoryEntities, ...knowledgeEntities],
      migrations: [...requestMigrations, ...directoryMigrations, ...knowledgeMigrations],
      applicationName: 'knowledge-spec',
    });
    await seedDirectory(directoryAdmin({ uow: directoryUnitOfWork(dataSource) }), directoryData);
    // The request an article may name as its source (the lifecycle's own columns are not needed here).
    await dataSource.query(
      `INSERT INTO request (id, number, type, title, description, status, requested_priority, customer_id, requester_id, registered_at, updated_at, version)
       VALUES ($1, 'SC-2026-000123', 'QUESTION', 'Jaaropgave', 'Opnieuw aanmaken', 'CLOSED', 'LOW', 'cust-bakker-logistiek', 'p-marieke-bakker', now(), now(), 1)`,
      [SOURCE_REQUEST],
    );
    // The path the request lifecycle takes: a pure new article, inserted in its transaction.
    for (const [i, seed] of knowledgeArticles.entries()) {
      await new KnowledgeRepository(dataSource.manager).insert(
        newKnowledgeArticle({ ...seed, now: new Date(Date.UTC(2026, 9, 1 + i, 9)) }),
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const run = <T = Record<string, unknown>>(who: Caller, source: string, variables?: Record<string, unknown>) =>
    execute<T>(
      schema,
      {
        caller: who,
        correlationId: 'spec',
        directory: directoryContextFactory(dataSource)(),
        knowledge: knowledgeContextFactory(dataSource, clock.now, (m) => new RequestRepository(m))(),
      },
      source,
      variables,
    );
  const search = async (who: Caller, args: string) =>
    dataOf(
      await run<{ knowledgeArticles: Page<{ id: string }> }>(
        who,
        `{ knowledgeArticles(${args}) { totalCount edges { node { id } } } }`,
      ),
    ).knowledgeArticles;
  const ids = async (who: Caller, args: string) => (await search(who, args)).edges.map((e) => e.node.id);
  const create = (who: Caller, input: Record<string, unknown>) =>
    run<{ createKnowledgeArticle: { article: Article } }>(
      who,
      `mutation($input: CreateKnowledgeArticleInput!) { createKnowledgeArticle(input: $input) { article { ${ARTICLE} } } }`,
      { input },
    );
  const update = (who: Caller, input: Record<string, unknown>) =>
    run<{ updateKnowledgeArticle: { article: Article } }>(
      who,
      `mutation($input: UpdateKnowledgeArticleInput!) { updateKnowledgeArticle(input: $input) { article { ${ARTICLE} } } }`,
      { input },
    );

  it('finds Dutch and English articles by their words, in title, tags and body', async () => {
    expect(await ids(CONSULTANT, 'search: "loonaangifte"')).toEqual(['kb-loonaangifte-digipoort-fout']);
    expect(await ids(CONSULTANT, 'search: "receipts upload"')).toEqual(['kb-expense-receipt-upload']);
    expect(await ids(CONSULTANT, 'search: "receipts -heic"')).toEqual([]);
    expect(await ids(CONSULTANT, 'search: "\\"met terugwerkende kracht\\""')).toEqual(['kb-verlofsaldo-herberekenen']);
  });

  it('ranks a title match above repeated mentions in the body', async () => {
    const body = await create(CONSULTANT, {
      title: 'Certificaten vernieuwen',
      body: 'Kassasysteem, kassasysteem en nog eens het kassasysteem.',
      published: true,
    });
    const title = await create(CONSULTANT, {
      title: 'Koppeling met het kassasysteem',
      body: 'Zie de handleiding.',
      published: true,
    });
    const [inBody, inTitle] = [body, title].map((r) => dataOf(r).createKnowledgeArticle.article.id);
    expect(await ids(CONSULTANT, 'search: "kassasysteem"')).toEqual([inTitle, inBody]);
  });

  it('shows customers published articles only: in lists, by id and as an entity', async () => {
    const desk = await search(CONSULTANT, 'search: "tolerances"');
    const customer = await search(MARIEKE, 'search: "tolerances"');
    expect([desk.totalCount, customer.totalCount]).toEqual([1, 0]);
    expect(
      (await run(MARIEKE, `{ knowledgeArticle(id: "kb-invoice-matching-tolerance") { id } }`)).data?.knowledgeArticle,
    ).toBeNull();
    const entities = await run(
      MARIEKE,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on KnowledgeArticle { id } } }`,
      {
        r: [
          { __typename: 'KnowledgeArticle', id: 'kb-invoice-matching-tolerance' },
          { __typename: 'KnowledgeArticle', id: 'kb-expense-receipt-upload' },
        ],
      },
    );
    expect(entities.data?._entities).toEqual([null, { id: 'kb-expense-receipt-upload' }]);
  });

  it('hides the author and the source request from customers', async () => {
    const { id } = dataOf(
      await create(CONSULTANT, {
        title: 'Jaaropgave opnieuw aanmaken',
        body: 'Via Runs > Jaaropgaven.',
        published: true,
        sourceRequestId: SOURCE_REQUEST,
      }),
    ).createKnowledgeArticle.article;
    const asCustomer = await run(MARIEKE, `{ knowledgeArticle(id: "${id}") { createdBy { name } sourceRequestId } }`);
    expect(asCustomer.data?.knowledgeArticle).toEqual({ createdBy: null, sourceRequestId: null });
    const asDesk = await run(CONSULTANT, `{ knowledgeArticle(id: "${id}") { createdBy { name } sourceRequestId } }`);
    expect(asDesk.data?.knowledgeArticle).toEqual({
      createdBy: { name: 'Anna de Vries' },
      sourceRequestId: SOURCE_REQUEST,
    });
  });

  it('filters by product and pages the most recently updated first', async () => {
    expect(await ids(CONSULTANT, 'productId: "prod-declaraties"')).toEqual(['kb-expense-receipt-upload']);
    const query = `query($after: String) { knowledgeArticles(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id updatedAt } } } }`;
    const seen: { id: string; updatedAt: string }[] = [];
    let after: string | null | undefined;
    let total = 0;
    for (let more = true; more;) {
      const page = dataOf(
        await run<{ knowledgeArticles: Page<Article> }>(CONSULTANT, query, { after }),
      ).knowledgeArticles;
      seen.push(...page.edges.map((e) => e.node));
      [after, more, total] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage, page.totalCount];
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((a) => a.id)).size).toBe(total);
    expect([...seen].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))).toEqual(seen);
  });

  it('refuses a cursor of a list with another search', async () => {
    const page = dataOf(
      await run<{ knowledgeArticles: Page<Article> }>(
        CONSULTANT,
        `{ knowledgeArticles(first: 1) { pageInfo { endCursor } } }`,
      ),
    ).knowledgeArticles;
    const { errors } = await run(
      CONSULTANT,
      `query($a: String) { knowledgeArticles(search: "loonstrook", after: $a) { totalCount } }`,
      { a: page.pageInfo.endCursor },
    );
    expect(errors).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'after' }]);
  });

  describe('writing', () => {
    it('lets the desk write a draft, stamped by the clock and the caller', async () => {
      clock.set('2026-11-23T10:15:00Z');
      const created = await create(CONSULTANT, {
        title: 'Reiskosten in de loonrun',
        body: 'Gebruik looncomponent 410.',
        productId: 'prod-salarisverwerking',
        tags: ['Reiskosten'],
      });
      expect(dataOf(created).createKnowledgeArticle.article).toMatchObject({
        published: false,
        version: 1,
        tags: ['reiskosten'],
        createdAt: '2026-11-23T10:15:00.000Z',
        createdBy: { name: 'Anna de Vries' },
        product: { name: 'Salarisverwerking' },
      });
    });

    it('refuses customers and other roles, and a product that does not exist, writing nothing', async () => {
      const before = (await search(CONSULTANT, 'first: 1')).totalCount;
      expect((await create(MARIEKE, { title: 'Mijn tip', body: 'Tekst' })).errors).toMatchObject([
        { code: 'FORBIDDEN' },
      ]);
      expect(
        (await create(caller('p-wendy-kok', ['admin']), { title: 'Admin tip', body: 'Tekst' })).errors,
      ).toMatchObject([{ code: 'FORBIDDEN' }]);
      expect(
        (await create(CONSULTANT, { title: 'Roosters', body: 'Tekst', productId: 'prod-roosters' })).errors,
      ).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'input.productId' }]);
      expect((await search(CONSULTANT, 'first: 1')).totalCount).toBe(before);
    });

    it('refuses a source request that does not exist, writing nothing', async () => {
      const before = (await search(CONSULTANT, 'first: 1')).totalCount;
      for (const sourceRequestId of ['req-123', 'b1c7e2a4-0d3f-4e5a-8b6c-7d8e9f0a1b2c']) {
        const refused = await create(CONSULTANT, { title: 'Bron onbekend', body: 'Tekst', sourceRequestId });
        expect(refused.errors).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'input.sourceRequestId' }]);
      }
      expect((await search(CONSULTANT, 'first: 1')).totalCount).toBe(before);
    });

    it('publishes with the version seen, and refuses a stale version as CONFLICT', async () => {
      const draft = 'kb-invoice-matching-tolerance';
      clock.set('2026-11-24T08:00:00Z');
      const published = await update(CONSULTANT, { id: draft, version: 1, published: true });
      expect(dataOf(published).updateKnowledgeArticle.article).toMatchObject({
        version: 2,
        published: true,
        updatedAt: '2026-11-24T08:00:00.000Z',
      });
      expect(await ids(MARIEKE, 'search: "tolerances"')).toEqual([draft]);
      const stale = await update(CONSULTANT, { id: draft, version: 1, title: 'Older edit' });
      expect(stale.errors).toMatchObject([{ code: 'CONFLICT', field: 'input.version' }]);
      expect(
        (await run(CONSULTANT, `{ knowledgeArticle(id: "${draft}") { title version } }`)).data?.knowledgeArticle,
      ).toEqual({
        title: 'Matching purchase invoices to orders: price and quantity tolerances',
        version: 2,
      });
    });

    it('lets exactly one of two simultaneous edits of the same version win', async () => {
      const id = 'kb-verlofsaldo-herberekenen';
      const outcomes = await Promise.all([
        update(CONSULTANT, { id, version: 1, title: 'Edit A' }),
        update(CONSULTANT, { id, version: 1, title: 'Edit B' }),
      ]);
      expect(outcomes.map((o) => o.errors[0]?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      expect((await run(CONSULTANT, `{ knowledgeArticle(id: "${id}") { version } }`)).data).toEqual({
        knowledgeArticle: { version: 2 },
      });
    });

    it('answers NOT_FOUND for an article that does not exist', async () => {
      expect((await update(CONSULTANT, { id: 'kb-nope', version: 1, title: 'x y z' })).errors).toMatchObject([
        { code: 'NOT_FOUND' },
      ]);
    });

    it('names the product field when an insert inside another transaction points at a missing product', async () => {
      const insert = dataSource.transaction((manager) =>
        new KnowledgeRepository(manager).insert(
          newKnowledgeArticle({
            title: 'Uit antwoord',
            body: 'Antwoord',
            productId: 'prod-roosters',
            createdBy: 'p-noah-bos',
            now: clock.now(),
          }),
        ),
      );
      await expect(insert).rejects.toBeInstanceOf(DomainError);
      await expect(insert).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.productId' } });
    });
  });
});
