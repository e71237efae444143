/** Unit specs (*.spec.ts), integration specs (*.int-spec.ts) and e2e specs (*.e2e-spec.ts) all run in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/infra', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    // Type checking is `npm run typecheck`; jest only transpiles, which keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@pool/event-sourcing$': '<rootDir>/libs/event-sourcing/src/index.ts',
    '^@pool/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@pool/chia$': '<rootDir>/libs/chia/src/index.ts',
    '^@pool/projections$': '<rootDir>/libs/projections/src/index.ts',
    '^@pool/commands$': '<rootDir>/libs/commands/src/index.ts',
    '^@pool/devnet$': '<rootDir>/libs/devnet/src/index.ts',
    '^@pool/notifications$': '<rootDir>/libs/notifications/src/index.ts',
    '^@pool/event-store$': '<rootDir>/infra/event-store/src/index.ts',
    '^@pool/read-models$': '<rootDir>/infra/read-models/src/index.ts',
    '^@pool/runtime$': '<rootDir>/infra/runtime/src/index.ts',
    '^@pool/config$': '<rootDir>/infra/config/src/index.ts',
    '^@pool/api$': '<rootDir>/apps/api/src/index.ts',
    '^@pool/worker$': '<rootDir>/apps/worker/src/index.ts',
    '^@pool/projector$': '<rootDir>/apps/projector/src/index.ts',
    '^@pool/poolctl$': '<rootDir>/apps/poolctl/src/index.ts',
    '^@pool/testing$': '<rootDir>/test/support/index.ts',
  },
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 120000,
  maxWorkers: 2,
};
