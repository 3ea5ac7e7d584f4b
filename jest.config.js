/**
 * Jest runs TypeScript through ts-jest. The custom environment (test/jest-environment.js) hands the outer realm's
 * typed arrays to the test context: onnxruntime-node checks `instanceof Float32Array` against the realm that
 * created the native tensors (jest issue 11864).
 */
module.exports = {
  testEnvironment: '<rootDir>/test/jest-environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 120000,
};
