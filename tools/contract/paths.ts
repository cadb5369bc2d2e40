import { join } from 'node:path';

/** The repository root, and the client-facing API schema `npm run compose` writes. */
export const ROOT = join(__dirname, '../..');
export { API_SCHEMA_FILE } from '../../libs/contracts/events/src/schema-check';
