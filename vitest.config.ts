import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'stacks/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
