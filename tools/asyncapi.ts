import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, buildAsyncApi } from '@servicecenter/contracts';
import { stringify } from 'yaml';

/** `npm run asyncapi` writes docs/asyncapi.yaml from the event contracts. */
export const ASYNCAPI_FILE = join(__dirname, '../docs/asyncapi.yaml');

export function renderAsyncApi(): string {
  const version = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
  return stringify(buildAsyncApi(EVENT_CATALOGUE, version), { lineWidth: 0 });
}

if (require.main === module) {
  writeFileSync(ASYNCAPI_FILE, renderAsyncApi());
  console.log('wrote docs/asyncapi.yaml');
}
