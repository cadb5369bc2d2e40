import type { Caller } from '@servicecenter/platform-auth';
import { badInput, notFound, validate } from '@servicecenter/platform-errors';
import { assertKnowledgeAuthor } from './knowledge-access';
import {
  assertCurrentVersion,
  CreateKnowledgeArticleInputSchema,
  newKnowledgeArticle,
  staleVersion,
  UpdateKnowledgeArticleInputSchema,
  withArticleChanges,
  type KnowledgeArticle,
} from './knowledge-article';
import type { KnowledgeUnitOfWork } from './ports';
import type { CreateKnowledgeArticleInput, UpdateKnowledgeArticleInput } from '../../generated/graphql';

export interface KnowledgeUseCases {
  createArticle(caller: Caller, input: CreateKnowledgeArticleInput): Promise<KnowledgeArticle>;
  updateArticle(caller: Caller, input: UpdateKnowledgeArticleInput): Promise<KnowledgeArticle>;
}

export function knowledgeUseCases(deps: { uow: KnowledgeUnitOfWork; now: () => Date }): KnowledgeUseCases {
  return {
    async createArticle(caller, raw) {
      assertKnowledgeAuthor(caller);
      const input = validate(CreateKnowledgeArticleInputSchema, raw);
      return deps.uow.run(async (tx) => {
        const source = input.sourceRequestId;
        if (source && !(await tx.requests.exists(source)))
          throw badInput('input.sourceRequestId', `No request ${source} in the Service Center`, { unknown: [source] });
        const article = newKnowledgeArticle({ ...input, createdBy: caller.id, now: deps.now() });
        await tx.articles.insert(article);
        return article;
      });
    },

    async updateArticle(caller, raw) {
      assertKnowledgeAuthor(caller);
      const { id, version, ...changes } = validate(UpdateKnowledgeArticleInputSchema, raw);
      return deps.uow.run(async (tx) => {
        const [current] = await tx.articles.findByIds([id]);
        if (!current) throw notFound('Knowledge article', id);
        assertCurrentVersion(current, version);
        const next = withArticleChanges(current, changes, deps.now());
        // The guarded write catches an update that committed after our read.
        if (!(await tx.articles.update(next, current.version))) {
          const [latest] = await tx.articles.findByIds([id]);
          throw staleVersion(id, version, latest?.version);
        }
        return next;
      });
    },
  };
}
