import type { Connection, SeedClient, SeedLog } from './client';
import { knowledgeArticles } from '../../apps/requests/src/directory/testing/demo-data';
import type { Tally } from './directory';

const LIST = `query($first: Int, $after: String) {
  knowledgeArticles(first: $first, after: $after) { edges { node { id title } } pageInfo { hasNextPage endCursor } }
}`;
const CREATE =
  'mutation($input: CreateKnowledgeArticleInput!) { createKnowledgeArticle(input: $input) { article { id } } }';

/**
 * Writes the knowledge articles of the data file, each as the consultant named its author.
 * The graph gives articles their own ids and has no unique title, so an article whose
 * title is already in the knowledge base is skipped. Returns the graph's id of each
 * article by its id in the data file (requests answer from them).
 */
export async function loadKnowledge(
  client: SeedClient,
  log: SeedLog,
): Promise<{ tally: Tally; ids: Map<string, string> }> {
  const reader = knowledgeArticles[0].createdBy;
  const existing = await client.all<
    { knowledgeArticles: Connection<{ id: string; title: string }> },
    { id: string; title: string }
  >(reader, LIST, {}, (d) => d.knowledgeArticles, 'knowledgeArticles');
  const tally: Tally = { created: 0, skipped: 0 };
  const ids = new Map<string, string>();
  const created: string[] = [];
  for (const article of knowledgeArticles) {
    const found = existing.find((e) => e.title === article.title);
    if (found) {
      ids.set(article.id, found.id);
      tally.skipped += 1;
      continue;
    }
    const input = {
      title: article.title,
      body: article.body,
      productId: article.productId,
      tags: article.tags,
      published: article.published,
    };
    const data = await client.run<{ createKnowledgeArticle: { article: { id: string } } }>(
      article.createdBy,
      CREATE,
      { input },
      `createKnowledgeArticle "${article.title}"`,
    );
    ids.set(article.id, data.createKnowledgeArticle.article.id);
    created.push(article.id);
    tally.created += 1;
  }
  const parts = [
    created.length && `created ${created.length} (${created.join(', ')})`,
    tally.skipped && `skipped ${tally.skipped} already there`,
  ].filter(Boolean);
  log(`Knowledge articles (as their authors): ${parts.join('; ')}`);
  return { tally, ids };
}
