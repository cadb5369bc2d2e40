import { hasRole, type Caller, type Role } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { KnowledgeArticle } from './knowledge-article';

/** The Service Center desk writes articles: they answer the questions the articles are for. */
const KNOWLEDGE_AUTHOR_ROLES: readonly Role[] = ['support_consultant', 'team_lead', 'manager_service_center'];

export function assertKnowledgeAuthor(caller: Caller): void {
  if (!hasRole(caller, ...KNOWLEDGE_AUTHOR_ROLES)) {
    throw forbidden(`Only the Service Center desk writes knowledge articles (${KNOWLEDGE_AUTHOR_ROLES.join(', ')})`);
  }
}

/** Customers read published articles only; drafts stay with the vendor. */
export const publishedOnlyFor = (caller: Caller) => hasRole(caller, 'customer');

export function canReadArticle(caller: Caller, article: Pick<KnowledgeArticle, 'published'>): boolean {
  if (caller.roles.length === 0) return false;
  return article.published || !publishedOnlyFor(caller);
}

/**
 * The request an article came from belongs to one customer; other customers reading the
 * article learn nothing about it, not even its id.
 */
export const canSeeSourceRequest = (caller: Caller) => caller.roles.length > 0 && !hasRole(caller, 'customer');
