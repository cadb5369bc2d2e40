import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conflict, validate } from '@servicecenter/platform-errors';

/**
 * A knowledge article answers questions (DOMAIN.md: an RFI is answered from an article,
 * or answered and written up as a new one). Customers see published articles only.
 */
export interface KnowledgeArticle {
  id: string;
  title: string;
  /** Plain text or Markdown; the graph passes it through. */
  body: string;
  productId: string | null;
  /** Lowercase, unique; searched together with title and body. */
  tags: string[];
  published: boolean;
  /** The request whose answer became this article. */
  sourceRequestId: string | null;
  /** Person id (token `sub`) of the author. */
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic locking: an update names the version it saw. */
  version: number;
}

const ref = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const title = z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters');
const body = z.string().trim().min(1, 'must not be empty').max(50_000, 'must be at most 50000 characters');
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a tag must not be empty')
  .max(40, 'a tag has at most 40 characters')
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'a tag starts with a letter or digit and holds letters, digits, spaces, ".", "_" or "-"',
  );
const tags = z
  .array(tag)
  .max(20, 'at most 20 tags')
  .transform((values) => [...new Set(values)]);

export const CreateKnowledgeArticleInputSchema = z.object({
  title,
  body,
  productId: ref.nullish(),
  tags: tags.nullish(),
  published: z.boolean().nullish(),
  sourceRequestId: ref.nullish(),
});

/** Fields left out keep their value; `productId: null` detaches the article from its product. */
export const UpdateKnowledgeArticleInputSchema = z.object({
  id: ref,
  version: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  title: title.optional(),
  body: body.optional(),
  productId: ref.nullish(),
  tags: tags.optional(),
  published: z.boolean().optional(),
});
export type KnowledgeArticleChanges = Omit<z.infer<typeof UpdateKnowledgeArticleInputSchema>, 'id' | 'version'>;

export interface NewKnowledgeArticleFields {
  /** Generated when left out. */
  id?: string;
  title: string;
  body: string;
  productId?: string | null;
  tags?: string[] | null;
  /** Drafts by default: an article reaches customers only when someone publishes it. */
  published?: boolean | null;
  sourceRequestId?: string | null;
  /** Person id of the author. */
  createdBy: string;
  now: Date;
}

/**
 * A new article at version 1. Validates and normalises title, body and tags; a bad value is
 * BAD_USER_INPUT named `<fieldPrefix>.<field>` (callers inside another mutation pass their
 * own prefix). Whether the product exists is the caller's check (or the foreign key's).
 */
export function newKnowledgeArticle(fields: NewKnowledgeArticleFields, fieldPrefix = 'input'): KnowledgeArticle {
  const valid = validate(CreateKnowledgeArticleInputSchema, fields, fieldPrefix);
  return {
    id: fields.id ?? randomUUID(),
    title: valid.title,
    body: valid.body,
    productId: valid.productId ?? null,
    tags: valid.tags ?? [],
    published: valid.published ?? false,
    sourceRequestId: valid.sourceRequestId ?? null,
    createdById: fields.createdBy,
    createdAt: fields.now,
    updatedAt: fields.now,
    version: 1,
  };
}

/** Someone else saved the article since the caller read it: they must look at that first. */
export function staleVersion(id: string, seenVersion: number, currentVersion: number | undefined) {
  return conflict(
    `Knowledge article ${id} was changed since version ${seenVersion} (it is at version ${currentVersion ?? 'unknown'}): reload it and apply your change again`,
    {
      field: 'input.version',
      currentVersion,
    },
  );
}

export function assertCurrentVersion(article: KnowledgeArticle, seenVersion: number): void {
  if (article.version !== seenVersion) throw staleVersion(article.id, seenVersion, article.version);
}

export function withArticleChanges(
  article: KnowledgeArticle,
  changes: KnowledgeArticleChanges,
  now: Date,
): KnowledgeArticle {
  const next: KnowledgeArticle = { ...article, updatedAt: now, version: article.version + 1 };
  if (changes.title !== undefined) next.title = changes.title;
  if (changes.body !== undefined) next.body = changes.body;
  if (changes.productId !== undefined) next.productId = changes.productId;
  if (changes.tags !== undefined) next.tags = changes.tags;
  if (changes.published !== undefined) next.published = changes.published;
  return next;
}
