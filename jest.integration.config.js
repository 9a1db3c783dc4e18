// Integration tests: run against the real test bed (scripts/test-bed.sh up).
import unit from './jest.config.js';
/** @type {import('jest').Config} */
export default {
  ...unit,
  roots: ['<rootDir>/__tests__/integration'],
  testTimeout: 900000,
  maxWorkers: 1
};
