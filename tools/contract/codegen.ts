import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { format, resolveConfig } from 'prettier';
import { join, relative } from 'node:path';
import { ROLES } from '@servicecenter/platform-auth';
import { readSchemaSource, type SubgraphEntry } from '@servicecenter/platform-graphql';
import { ROOT } from './paths';

/** A file `npm run compose` writes: its path from the repository root and its text. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Scalars as resolvers see them: what the scalar's parseValue gives and what its serialize takes. */
const SCALARS = {
  DateTime: { input: 'Date', output: 'Date | string' },
  Date: 'string',
  JSONObject: 'Record<string, unknown>',
};

/** GraphQL shows roles as SUPPORT_CONSULTANT; resolvers get and give the RACI names (ROLE_ENUM_VALUES). */
const ROLE_ENUM = { Role: Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), role])) };

/**
 * Per subgraph: its context type and the domain (or read-model) types the resolvers hand
 * back for a GraphQL object type, so a field resolver's parent is the domain object.
 * Paths are relative to apps/<service>/src/generated/.
 */
const SERVER: Record<
  string,
  { context: string; mappers: Record<string, string>; enumValues?: Record<string, Record<string, string>> }
> = {
  requests: {
    context: '../context#RequestsContext',
    enumValues: ROLE_ENUM,
    mappers: {
      Request: '../domain/request#Request',
      Change: '../domain/conversation#ProductChange',
      Reply: '../domain/conversation#Reply',
      Evidence: '../domain/request#Evidence',
      RequestHistoryEntry: '../domain/conversation#HistoryEntry',
      TimeBooking: '../domain/bookings#TimeBooking',
      SurveyAnswer: '../domain/bookings#SurveyAnswer',
      Customer: '../directory/domain/directory#Customer',
      Person: '../directory/domain/directory#Person',
      Product: '../directory/domain/directory#Product',
      ProductGroup: '../directory/domain/directory#ProductGroup',
      Team: '../directory/domain/directory#Team',
      KnowledgeArticle: '../knowledge/domain/knowledge-article#KnowledgeArticle',
      RequestConnection: '../domain/use-cases/queries#RequestPage',
      CustomerConnection: '../directory/resolvers/connections#CustomerLazyConnection',
      ProductConnection: '../directory/resolvers/connections#ProductLazyConnection',
      PersonConnection: '../directory/resolvers/connections#PersonLazyConnection',
      KnowledgeArticleConnection: '../directory/resolvers/connections#KnowledgeArticleLazyConnection',
    },
  },
  sla: {
    context: '../context#SlaContext',
    mappers: {
      Request: '{ id: string }',
      RequestSla: '../domain/request-sla#RequestSla',
      SlaRisk: '../persistence/at-risk.reader#AtRiskRow',
      SlaAgreement: '../persistence/agreement.repository#StoredAgreement',
      BusinessCalendar: '../persistence/agreement.repository#StoredCalendar',
    },
  },
  escalations: {
    context: '../context#EscalationsContext',
    enumValues: ROLE_ENUM,
    mappers: {
      Request: '{ id: string }',
      Escalation: '../domain/escalation#Escalation',
      Ask: '../domain/ask#Ask',
      UrgentCall: '../domain/urgent-call#UrgentCall',
      AttentionItem: '../domain/attention#AttentionItem',
      DisruptionNotice: '../domain/disruption#DisruptionNotice',
      CustomerCommunication: '../domain/customer-communication#CustomerCommunication',
      ReviewAlignment: '../domain/review#ReviewAlignment',
      ReviewActionPoint: '../domain/review#ReviewActionPoint',
      ReviewActionPointFollowUp: '../domain/review#ActionPointFollowUp',
      EscalationStepRecord: '../domain/escalation#StepRecord',
      DisruptionUpdate: '../domain/disruption#DisruptionUpdate',
      Notification: '../domain/notify#Notification',
    },
  },
  reporting: {
    context: '../context#ReportingContext',
    // The types whose resolvers get more than the schema shows (a report's scope, the ids of
    // referenced customers and people); the figure rows are checked against the schema as they are.
    mappers: {
      ConsultingChangesReport: '../domain/report-queries#ConsultingChangesReport',
      SatisfactionReport: '../domain/report-queries#SatisfactionReport',
      EscalationsReport: '../domain/report-queries#EscalationsReport',
      ReportRequest: '../domain/reports#OpenRequestItem',
      BundleUseRow: '../domain/reports#BundleRow',
      ReviewCustomer: '../domain/review#ReviewCustomer',
      ServiceManagementReview: '../domain/review#ServiceManagementReview',
    },
  },
  'release-testing': {
    context: '../context#ReleaseTestingContext',
    mappers: {
      // Entities of other subgraphs this one extends: resolvers hold only their key.
      Product: '{ id: string }',
      Request: '{ id: string }',
      Release: '../domain/model#Release',
      ReleaseAdvice: '../domain/model#Advice',
      ReleaseDecision: '../domain/model#ReleaseDecision',
      TestPlan: '../domain/model#TestPlan',
      TestRun: '../domain/model#TestRun',
      TestCaseResult: '../domain/model#CaseResult',
      Defect: '../domain/model#Defect',
    },
  },
};

const HEADER =
  '// Generated by `npm run compose` (tools/contract/codegen.ts) from the SDL; do not edit.\n' +
  '// The test suite fails when this file is stale.\n';

async function prettier(path: string, content: string): Promise<string> {
  const options = await resolveConfig(join(ROOT, path));
  return format(HEADER + content, { ...options, filepath: join(ROOT, path) });
}

/** The server types of one subgraph: apps/<service>/src/generated/graphql.ts. */
export function serverTypesFile(subgraph: SubgraphEntry): string {
  return relative(ROOT, join(subgraph.schemaFile, '..', 'generated', 'graphql.ts'));
}

export async function generateServerTypes(subgraphs: SubgraphEntry[]): Promise<GeneratedFile[]> {
  const generates: Record<string, Types.ConfiguredOutput> = {};
  const schemas: Record<string, string> = {};
  for (const subgraph of subgraphs) {
    const settings = SERVER[subgraph.name];
    if (!settings) throw new Error(`tools/contract/codegen.ts has no server settings for subgraph ${subgraph.name}`);
    const path = serverTypesFile(subgraph);
    schemas[path] = readSchemaSource(subgraph.schemaFile);
    generates[path] = {
      schema: schemas[path],
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        contextType: settings.context,
        mappers: settings.mappers,
        enumValues: settings.enumValues,
        scalars: SCALARS,
        enumsAsTypes: true,
        useTypeImports: true,
        mapperTypeSuffix: 'Model',
        useIndexSignature: true,
        resolverTypeWrapperSignature: 'Promise<T> | T',
      },
    };
  }
  return run({ generates, silent: true });
}

/** Typed documents of the e2e specs, from the API schema: apps/stack/src/e2e/generated/. */
export const CLIENT_DIR = 'apps/stack/src/e2e/generated/';

export async function generateClientTypes(apiSchemaSdl: string): Promise<GeneratedFile[]> {
  return run({
    schema: apiSchemaSdl,
    documents: ['apps/stack/src/e2e/**/*.ts', 'apps/stack/src/testing/**/*.ts', `!${CLIENT_DIR}**`],
    // Only `graphql(...)` of ./generated is a typed document; other template literals are test data.
    pluckConfig: { globalGqlIdentifierName: ['graphql'], modules: [] },
    generates: {
      [CLIENT_DIR]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          scalars: { DateTime: 'string', Date: 'string', JSONObject: 'Record<string, unknown>' },
          enumsAsTypes: true,
          useTypeImports: true,
        },
      },
    },
    silent: true,
  });
}

async function run(config: Types.Config): Promise<GeneratedFile[]> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const outputs = await generate({ ...config, cwd: ROOT }, false);
    return Promise.all(
      outputs.map(async (o: { filename: string; content: string }) => {
        const path = relative(ROOT, join(ROOT, o.filename));
        return { path, content: await prettier(path, o.content) };
      }),
    );
  } finally {
    process.chdir(cwd);
  }
}
