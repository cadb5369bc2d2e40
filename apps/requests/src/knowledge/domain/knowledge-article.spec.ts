import type { Caller } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import { assertKnowledgeAuthor, canReadArticle, canSeeSourceRequest } from './knowledge-access';
import { assertCurrentVersion, newKnowledgeArticle, withArticleChanges } from './knowledge-article';

const NOW = new Date('2026-11-23T10:00:00Z');
const LATER = new Date('2026-11-24T08:30:00Z');
const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('knowledge articles', () => {
  const article = newKnowledgeArticle({
    id: 'kb-1',
    title: '  Loonstrook niet zichtbaar ',
    body: 'Controleer de publicatiedatum van de run.',
    tags: ['Loonstrook', 'loonstrook ', 'Portaal'],
    createdBy: 'p-anna-devries',
    now: NOW,
  });

  it('starts as an unpublished draft at version 1, with trimmed text and tags lowercase and once each', () => {
    expect(article).toEqual({
      id: 'kb-1',
      title: 'Loonstrook niet zichtbaar',
      body: 'Controleer de publicatiedatum van de run.',
      productId: null,
      tags: ['loonstrook', 'portaal'],
      published: false,
      sourceRequestId: null,
      createdById: 'p-anna-devries',
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
  });

  it('gets an id when none is given (the request lifecycle creates articles from answers)', () => {
    const fromAnswer = newKnowledgeArticle({
      title: 'Verlofsaldo',
      body: 'Herbereken het saldo.',
      published: true,
      sourceRequestId: 'r-1',
      createdBy: 'p-noah-bos',
      now: NOW,
    });
    expect(fromAnswer.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromAnswer).toMatchObject({ published: true, sourceRequestId: 'r-1' });
  });

  it('names the bad field, under the caller’s prefix when it is part of another mutation', () => {
    expect(
      failure(() => newKnowledgeArticle({ title: 'ab', body: 'x', createdBy: 'p', now: NOW })).details,
    ).toMatchObject({ field: 'input.title' });
    const nested = failure(() =>
      newKnowledgeArticle({ title: 'Fine title', body: '   ', createdBy: 'p', now: NOW }, 'input.publishAsArticle'),
    );
    expect(nested).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.publishAsArticle.body' } });
    expect(
      failure(() => newKnowledgeArticle({ title: 'Fine title', body: 'b', tags: ['#hash'], createdBy: 'p', now: NOW }))
        .details,
    ).toMatchObject({ field: 'input.tags.0' });
  });

  it('applies an edit as the next version, keeping what was not changed', () => {
    const edited = withArticleChanges(article, { published: true, productId: 'prod-salarisverwerking' }, LATER);
    expect(edited).toEqual({
      ...article,
      published: true,
      productId: 'prod-salarisverwerking',
      updatedAt: LATER,
      version: 2,
    });
    expect(withArticleChanges(edited, { productId: null }, LATER).productId).toBeNull();
  });

  it('refuses an edit made on an older version as CONFLICT, telling the current version', () => {
    const edited = withArticleChanges(article, { title: 'Loonstrook ontbreekt' }, LATER);
    expect(() => assertCurrentVersion(edited, 2)).not.toThrow();
    expect(failure(() => assertCurrentVersion(edited, 1))).toMatchObject({
      code: 'CONFLICT',
      details: { field: 'input.version', currentVersion: 2 },
    });
  });
});

describe('knowledge access', () => {
  const consultant: Caller = { id: 'p-anna-devries', roles: ['support_consultant'] };
  const customer: Caller = { id: 'p-marieke-bakker', roles: ['customer'], customerId: 'cust-bakker-logistiek' };
  const productOwner: Caller = { id: 'p-eva-van-leeuwen', roles: ['pd_product_owner'] };

  it('lets the desk write and nobody else', () => {
    for (const roles of [['support_consultant'], ['team_lead'], ['manager_service_center']] as Caller['roles'][]) {
      expect(() => assertKnowledgeAuthor({ id: 'x', roles })).not.toThrow();
    }
    for (const caller of [customer, productOwner, { id: 'p-wendy-kok', roles: ['admin'] } as Caller]) {
      expect(() => assertKnowledgeAuthor(caller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });

  it('shows drafts to internal roles and published articles to customers', () => {
    expect(canReadArticle(customer, { published: true })).toBe(true);
    expect(canReadArticle(customer, { published: false })).toBe(false);
    expect(canReadArticle(productOwner, { published: false })).toBe(true);
    expect(canReadArticle({ id: 'anonymous', roles: [] }, { published: true })).toBe(false);
  });

  it('keeps the source request from customers', () => {
    expect(canSeeSourceRequest(consultant)).toBe(true);
    expect(canSeeSourceRequest(customer)).toBe(false);
  });
});
