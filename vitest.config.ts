import { defineConfig } from 'vitest/config';

/**
 * Two kinds of test, told apart by their file names:
 * - unit (`*.test.ts`): pure and fast, no server, no browser, no child process: `npm run test:unit`;
 * - integration (`*.int.test.ts`, `*.browser.test.ts`, `*.e2e.test.ts`): against the local stand-ins,
 *   in headless Chromium, or the whole local pipeline.
 * `npm test` runs both.
 */
const ROOTS = ['packages/*/src/**/', 'tests/**/', 'stacks/**/'];
const INTEGRATION_KINDS = ['int', 'browser', 'e2e'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // The AWS SDK warns on Node 20 about its releases after January 2027; the pinned version supports it.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Pure modules hold no state between files, so the files share one module graph: half the time.
          isolate: false,
          include: ROOTS.map((root) => `${root}*.test.ts`),
          exclude: ['**/node_modules/**', ...INTEGRATION_KINDS.map((kind) => `**/*.${kind}.test.ts`)],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ROOTS.flatMap((root) => INTEGRATION_KINDS.map((kind) => `${root}*.${kind}.test.ts`)),
        },
      },
    ],
  },
});
