// Runs this example against fake-gemini on 127.0.0.1: no key, no network, nothing paid.
// Batch mode as a nightly CI job uses it (submit and exit, then collect), then interactive
// mode, then what the fake charged. `node demo.mjs <folder>` runs a copy elsewhere.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatStats, startFakeGemini } from '@pixlock/fake-gemini';

const require = createRequire(import.meta.url);
const bin = path.join(path.dirname(require.resolve('@pixlock/cli/package.json')), 'dist/bin.js');
const dir = path.resolve(process.argv[2] ?? path.dirname(fileURLToPath(import.meta.url)));
const key = 'fake-gemini-key';

const fake = await startFakeGemini({
  apiKeys: [key],
  generateLatencyMs: 200,
  batchQueueMs: 200,
  batchRunMs: 500,
});
const env = { ...process.env, GEMINI_API_KEY: key, GOOGLE_GEMINI_BASE_URL: fake.baseUrl };
let failed = false;
// Not spawnSync: the fake answers from this process, whose event loop must keep running.
const pixlock = async (folder, expected, ...args) => {
  const where = folder === dir ? '' : `   (in ${path.basename(folder)}/)`;
  process.stdout.write(`\n$ pixlock ${args.join(' ')}${where}\n`);
  const child = spawn(process.execPath, [bin, ...args], { cwd: folder, env, stdio: 'inherit' });
  const status = await new Promise((resolve) => child.once('exit', resolve));
  if (status !== expected) {
    process.stderr.write(`demo: expected exit ${expected}, got ${status}\n`);
    failed = true;
  }
};

try {
  await pixlock(dir, 0, 'plan', '--graph');
  // Submits every image that can go now and exits 0: the jobs are pending in pixlock.lock.
  await pixlock(dir, 0, 'generate', '--no-wait');
  // Collects them, then draws the scene built on Mia and waits for it.
  await pixlock(dir, 0, 'generate');
  await pixlock(dir, 0, 'check');
  const interactive = path.join(dir, 'interactive');
  await pixlock(interactive, 0, 'generate');
  await pixlock(interactive, 0, 'check');
} finally {
  await fake.close();
  process.stdout.write(`\nfake-gemini charged: ${formatStats(fake.stats)}\n`);
}
process.exit(failed ? 1 : 0);
