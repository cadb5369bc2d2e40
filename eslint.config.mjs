import nx from '@nx/eslint-plugin';
import jsoncParser from 'jsonc-eslint-parser';

const APPS_ARE_COMPOSED_BY_THE_STACK = {
  group: [
    '@servicecenter/requests',
    '@servicecenter/sla',
    '@servicecenter/escalations',
    '@servicecenter/reporting',
    '@servicecenter/release-testing',
    '@servicecenter/gateway',
    '@servicecenter/stack',
  ],
  message: 'Only apps/stack composes services; an app never imports another app.',
};
// Any specifier with a `tools` path segment: relative paths climbing to tools/ and any alias to it.
const NO_TOOLS = {
  regex: '(^|/)tools(/|$)',
  message: 'tools/ holds the scripts (seed, compose, bench, ...); apps and libraries never import them.',
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '.data', '.nx', 'infra/kafka/target', 'tmp'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Service factories are app code, but the all-in-one runner must compose them;
          // the rule below keeps every other project away from them.
          allow: [
            '@servicecenter/requests',
            '@servicecenter/sla',
            '@servicecenter/escalations',
            '@servicecenter/reporting',
            '@servicecenter/release-testing',
            '@servicecenter/gateway',
          ],
          depConstraints: [
            // An app never imports another app; only the all-in-one runner composes them.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:runner', onlyDependOnLibsWithTags: ['type:app', 'type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // The event contracts are a leaf: product teams depend on them without the platform.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:requests', onlyDependOnLibsWithTags: ['scope:requests', 'scope:shared'] },
            { sourceTag: 'scope:sla', onlyDependOnLibsWithTags: ['scope:sla', 'scope:shared'] },
            { sourceTag: 'scope:escalations', onlyDependOnLibsWithTags: ['scope:escalations', 'scope:shared'] },
            { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:reporting', 'scope:shared'] },
            { sourceTag: 'scope:release-testing', onlyDependOnLibsWithTags: ['scope:release-testing', 'scope:shared'] },
            {
              sourceTag: 'scope:stack',
              onlyDependOnLibsWithTags: [
                'scope:shared',
                'scope:gateway',
                'scope:requests',
                'scope:sla',
                'scope:escalations',
                'scope:reporting',
                'scope:release-testing',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['apps/stack/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [APPS_ARE_COMPOSED_BY_THE_STACK] }] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/stack/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [APPS_ARE_COMPOSED_BY_THE_STACK, NO_TOOLS] }] },
  },
  {
    files: ['apps/stack/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TOOLS] }] },
  },
  {
    // Each workspace package declares what its production code imports: the workspace packages
    // as "*", the external ones with the root's version. Tests and test helpers run from the
    // root's devDependencies and are left out.
    files: ['apps/*/package.json', 'libs/**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['lint'],
          ignoredFiles: [
            '{projectRoot}/**/*.spec.ts',
            '{projectRoot}/**/*.testing.ts',
            '{projectRoot}/**/*.fixture.ts',
            '{projectRoot}/**/testing/**',
            '{projectRoot}/jest.config.js',
          ],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
        },
      ],
    },
  },
];
