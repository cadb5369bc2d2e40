import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, buildAsyncApi, buildEventCatalogue, type RecordedEvents } from '@servicecenter/contracts';
import { stringify } from 'yaml';

/**
 * `npm run asyncapi` writes docs/asyncapi.yaml and docs/events.md from the event contracts and
 * the recorded end-to-end run (docs/events.recorded.json: examples and consumer groups).
 */
const root = join(__dirname, '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const recorded = JSON.parse(readFileSync(join(root, 'docs/events.recorded.json'), 'utf8')) as RecordedEvents;
writeFileSync(
  join(root, 'docs/asyncapi.yaml'),
  stringify(buildAsyncApi(EVENT_CATALOGUE, version, recorded), { lineWidth: 0 }),
);
writeFileSync(join(root, 'docs/events.md'), buildEventCatalogue(EVENT_CATALOGUE, recorded));
console.log('wrote docs/asyncapi.yaml and docs/events.md');
