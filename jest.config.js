/** Type checking runs once in `npm run typecheck`; ts-jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src', '<rootDir>/adapters'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60_000,
  maxWorkers: 2,
  // Every statement compiled for SQL Server in a test file is parsed as T-SQL after it.
  setupFilesAfterEnv: ['<rootDir>/test/support/tsqlGrammarCheck.ts'],
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
