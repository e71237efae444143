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
    '^@pool/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@pool/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@pool/chia$': '<rootDir>/libs/chia/src/index.ts',
    '^@pool/chia/(.*)$': '<rootDir>/libs/chia/src/$1',
    '^@pool/event-store$': '<rootDir>/infra/event-store/src/index.ts',
    '^@pool/event-store/(.*)$': '<rootDir>/infra/event-store/src/$1',
    '^@pool/config$': '<rootDir>/infra/config/src/index.ts',
    '^@pool/devnet$': '<rootDir>/libs/devnet/src/index.ts',
    '^@pool/devnet/(.*)$': '<rootDir>/libs/devnet/src/$1',
    '^@pool/read-models$': '<rootDir>/infra/read-models/src/index.ts',
    '^@pool/read-models/(.*)$': '<rootDir>/infra/read-models/src/$1',
    '^@pool/projector$': '<rootDir>/apps/projector/src/index.ts',
    '^@pool/projector/(.*)$': '<rootDir>/apps/projector/src/$1',
    '^@pool/testing$': '<rootDir>/test/support/index.ts',
    '^@pool/testing/(.*)$': '<rootDir>/test/support/$1',
  },
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 120000,
  maxWorkers: 2,
};
