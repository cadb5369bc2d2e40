import { schemaBreakingChanges, schemaCheckReport, unnamed } from './schema-check';

const RELEASED = `
  enum Priority { LOW HIGH }
  type RequestSla { priority: String! breachedAt: String }
  type Request { id: ID! title: String! status: String! sla: RequestSla }
  type Query { request(id: ID!): Request }
`;
const CHANGELOG = (breaking: string[]) => `# Changelog

## Unreleased

### Added
- \`Request.title\` is mentioned here, but not as a breaking change.

### Breaking
${breaking.map((b) => `- \`${b}\`: why it had to change.`).join('\n')}

## 0.1.0

### Breaking
- \`Request.status\`: an old release's breaking change does not excuse a new one.
`;

describe('the breaking-change check of the API schema', () => {
  it('calls a removed field breaking, naming its coordinate, until the CHANGELOG names it under ### Breaking', async () => {
    const current = RELEASED.replace('title: String! ', '');
    const changes = await schemaBreakingChanges(RELEASED, current);
    expect(changes.map((c) => c.coordinate)).toEqual(['Request.title']);
    expect(unnamed(changes, CHANGELOG([]))).toEqual([
      "Field 'title' was removed from object type 'Request' — breaking; name `Request.title` under ### Breaking in CHANGELOG.md",
    ]);
    expect(unnamed(changes, CHANGELOG(['Request.title']))).toEqual([]);
  });

  it('calls a field retyped from String to an enum breaking (RequestSla.priority)', async () => {
    const current = RELEASED.replace('priority: String!', 'priority: Priority!');
    const changes = await schemaBreakingChanges(RELEASED, current);
    expect(changes.map((c) => c.coordinate)).toEqual(['RequestSla.priority']);
    expect(unnamed(changes, CHANGELOG(['Request.title']))).toHaveLength(1);
    expect(unnamed(changes, CHANGELOG(['RequestSla.priority']))).toEqual([]);
  });

  it('only counts names under ## Unreleased', async () => {
    const changes = await schemaBreakingChanges(RELEASED, RELEASED.replace('status: String! ', ''));
    expect(unnamed(changes, CHANGELOG([]))).toHaveLength(1);
  });

  it('lets additions through: a new optional field, a new type, a new optional argument', async () => {
    const current = RELEASED.replace('sla: RequestSla', 'sla: RequestSla summary: String')
      .replace('request(id: ID!)', 'request(id: ID!, locale: String)')
      .concat('type Team { id: ID! }');
    expect(await schemaBreakingChanges(RELEASED, current)).toEqual([]);
  });

  it('calls a new required argument and a nullable field made non-null in an input breaking', async () => {
    const withInput = RELEASED.concat('input Filter { text: String } type Mutation { find(filter: Filter): ID }');
    const current = withInput
      .replace('text: String', 'text: String!')
      .replace('request(id: ID!)', 'request(id: ID!, team: ID!)');
    const coordinates = (await schemaBreakingChanges(withInput, current)).map((c) => c.coordinate).sort();
    expect(coordinates).toEqual(['Filter.text', 'Query.request.team']);
  });

  it('passes for the committed API schema and event payloads against the released copies', async () => {
    expect(await schemaCheckReport()).toEqual([]);
  });
});
