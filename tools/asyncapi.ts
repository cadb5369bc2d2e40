import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, buildAsyncApi } from '@servicecenter/contracts';
import { stringify } from 'yaml';

/** `npm run asyncapi` writes docs/asyncapi.yaml from the event contracts. */
const version = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
writeFileSync(
  join(__dirname, '../docs/asyncapi.yaml'),
  stringify(buildAsyncApi(EVENT_CATALOGUE, version), { lineWidth: 0 }),
);
console.log('wrote docs/asyncapi.yaml');
