import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for Pothos and Yoga; Vite would pick
    // its .mjs for our files, and graphql refuses to meet a second copy of itself.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own simulator and gateway on loopback ports.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
