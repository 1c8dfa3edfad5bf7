/** Three projects: pure unit tests; integration tests that run against the real Asterisk
 * sandbox (scripts/pbx.sh), one file at a time because they share the PBX and its phones; and
 * browser tests: the web app (web/dist, built when stale) in headless Chromium, same sandbox. */
const tsJest = ['ts-jest', {}];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.ts',
    },
  ],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
