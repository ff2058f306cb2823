import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own simulator and gateway on loopback ports.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
