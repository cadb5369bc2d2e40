import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EVENT_CATALOGUE } from './catalogue';
import { buildAsyncApi } from './asyncapi';

describe('the event catalogue', () => {
  it('is published as docs/asyncapi.yaml, regenerated from the contracts (npm run asyncapi)', () => {
    const committed = parse(readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8')) as {
      info: { version: string };
    };
    expect(committed).toEqual(buildAsyncApi(EVENT_CATALOGUE, committed.info.version));
  });

  it('documents every event type once, with its payload schema and CloudEvents headers', () => {
    const doc = buildAsyncApi(EVENT_CATALOGUE, '0.0.0') as {
      components: {
        messages: Record<string, { name: string; payload: { properties: object }; headers: { required: string[] } }>;
      };
    };
    const names = Object.values(doc.components.messages).map((m) => m.name);
    expect(names).toEqual(EVENT_CATALOGUE.map((c) => c.type));
    const registered = Object.values(doc.components.messages).find(
      (m) => m.name === 'servicecenter.request.registered.v1',
    );
    expect(Object.keys(registered?.payload.properties ?? {})).toEqual(
      expect.arrayContaining(['requestId', 'number', 'customerId', 'registeredAt']),
    );
    expect(registered?.headers.required).toEqual(expect.arrayContaining(['ce_id', 'ce_type', 'ce_subject']));
  });
});
