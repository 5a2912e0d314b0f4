import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

// Tests import the workspace packages from source so a change is tested without a rebuild;
// end-to-end tests (real CLI process, real Vite build, real browser) run against dist.
// Exact names: '@pixlock/core/light' is another entry of core, not a path under its index.
const alias = [
  { find: /^@pixlock\/core$/, replacement: src('core') },
  { find: /^@pixlock\/core\/light$/, replacement: src('core', 'light') },
  { find: /^@pixlock\/fake-kinovi$/, replacement: src('fake-kinovi') },
  { find: /^@pixlock\/cli$/, replacement: src('cli') },
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['packages/*/src/**/*.e2e.test.ts', 'packages/*/test/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
