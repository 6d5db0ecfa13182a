// Projects: `unit` (pure rules beside the code, and the project's own lint rules in eslint/rules),
// `e2e` (black-box HTTP against a real database; test/security holds the attack regressions) and
// `browser`, and `galera` (a 3-node cluster). scripts/test.js runs e2e once per database engine.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper: { '^@stackgate/(.*)$': '<rootDir>/libs/$1/src' },
  // .cache/node<major>/project: the copy the second runtime pass installs and tests (scripts/node-lts-pass.js)
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  // A worker that ends with a large heap (600 MB of garbage from earlier files, each loading its modules
  // afresh) spends longer than jest-worker's 500 ms grace freeing it page by page after its exit event, and
  // is force-exited ("failed to exit gracefully"). Recycling a worker whose heap passed 400 MB after a test
  // file keeps every exit small.
  workerIdleMemoryLimit: '400MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/eslint/**/*.spec.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/security/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
    {
      // A 3-node MariaDB Galera cluster (scripts/galera-throwaway.js): run in band, the suites kill and restart its nodes.
      ...common,
      displayName: 'galera',
      testMatch: ['<rootDir>/test/galera/**/*.galera-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
  ],
};
