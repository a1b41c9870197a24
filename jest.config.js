// @ts-check
/** Six tiers with fixed places (see test/README.md). One embedded PostgreSQL and one Temporal dev server per run. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
const temporalTier = { ...common, setupFilesAfterEnv: ['<rootDir>/test/support/setup-temporal-tier.ts'] };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,workflows,activities}/**/*.spec.ts'] },
    { ...temporalTier, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.test.ts'] },
    { ...temporalTier, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...temporalTier, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...temporalTier, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
    // Its own PostgreSQL, Temporal, API and worker processes, killed and restarted (see test/README.md).
    { ...temporalTier, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
  ],
};
