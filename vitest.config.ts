import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

// Tests import the workspace packages from source so a change is tested without a rebuild;
// end-to-end tests (real CLI process, real Vite build, real browser) run against dist. A CLI
// test that needs no process of its own runs the CLI in process (runPixlockInProcess) and is a
// unit test; *.e2e.test.ts is for what needs one (kill -9, signals, pipes, hangs, the packed
// install, a real Vite build, a browser).
// Exact names: '@pixlock/core/light' is another entry of core, not a path under its index.
const alias = [
  { find: /^@pixlock\/core$/, replacement: src('core') },
  { find: /^@pixlock\/core\/light$/, replacement: src('core', 'light') },
  { find: /^@pixlock\/fake-http-kit$/, replacement: src('fake-http-kit') },
  {
    find: /^@pixlock\/fake-http-kit\/test-utils$/,
    replacement: src('fake-http-kit', 'test-utils/index'),
  },
  { find: /^@pixlock\/fake-kinovi$/, replacement: src('fake-kinovi') },
  { find: /^@pixlock\/fake-gemini$/, replacement: src('fake-gemini') },
  { find: /^@pixlock\/fake-s3$/, replacement: src('fake-s3') },
  { find: /^@pixlock\/cli$/, replacement: src('cli') },
];

// Vitest's default is one worker less than the cores: on a 2-core CI machine, one file at a
// time. Many files mostly wait (on a fake server's latency, a child process, a browser), so
// one worker per core, and one more, keep the cores busy.
const maxWorkers = availableParallelism() + 1;

export default defineConfig({
  test: {
    maxWorkers,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 20_000,
          // One module graph per worker rather than per file: most of a unit file's time was
          // spent importing core again. So a unit file must leave no module state behind for
          // the next: no vi.mock of a module others import, fake timers and stubbed env
          // restored after each test (each test builds its own temp project and fake server).
          isolate: false,
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
