import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // each file opens its own databases; two at a time keeps a 2-core machine responsive
    maxWorkers: 2,
  },
});
