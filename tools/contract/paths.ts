import { join } from 'node:path';

/** The repository root, and the files the contract tooling reads and writes. */
export const ROOT = join(__dirname, '../..');
export const API_SCHEMA_FILE = join(ROOT, 'infra/supergraph/api-schema.graphql');
/** The released contracts: the API schema and the event payload schemas of the last release. */
export const RELEASED_API_SCHEMA_FILE = join(ROOT, 'infra/supergraph/released/api-schema.graphql');
export const RELEASED_EVENTS_FILE = join(ROOT, 'libs/contracts/events/released/event-payloads.json');
export const CHANGELOG_FILE = join(ROOT, 'CHANGELOG.md');
