/** Jest runs TypeScript through swc (fast, no type check: `npm run typecheck` does that).
 *  ESM-only dependencies (middy, ml-kmeans and its helpers) are transformed too, so tests stay CommonJS. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy|@aws-lambda-powertools|ml-[a-z-]+|is-any-array|fft\\.js|binary-search|cheminfo-types)/)',
  ],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
