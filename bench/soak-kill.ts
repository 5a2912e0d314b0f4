// Soak: kill -9 at random moments. Each round starts `pixlock generate` (the real CLI process)
// on a fresh project against one fake kinovi server with faults on, kills it with SIGKILL at a
// random moment, checks the lock, then runs generate to completion and checks everything.
// Prints images paid twice (must be 0), invalid locks (0), partial or unverified files in
// originals or outputs (0). Not a CI test. Needs a build (pnpm build).
// Run: pnpm bench:soak [--rounds 20] [--images 24]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeKinovi } from '../packages/fake-kinovi/src/index.js';
import { parseLock } from '../packages/core/src/index.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback;
const ROUNDS = option('--rounds', 20);
const IMAGES = option('--images', 24);
const CLI = path.resolve('packages/cli/dist/bin.js');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const fake = await startFakeKinovi({
  concurrencyLimit: 8,
  queueMs: 50,
  latencyMs: 300,
  jitterMs: 200,
  pollFaultRate: 0.2,
  downloadTruncateRate: 0.1,
  downloadHtmlRate: 0.05,
  rate429: 0.05,
  // Answers about another task, and successes listing no output: both polled through.
  pollForeignTaskRate: 0.05,
  emptyOutputRate: 0.1,
  seed: 11,
});
const env = { ...process.env, KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl };
const root = await mkdtemp(path.join(tmpdir(), 'pixlock-soak-'));
const totals = { invalidLocks: 0, partialFiles: 0, held: 0, incomplete: 0 };

function run(dir: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, 'generate'], { cwd: dir, env, stdio: 'ignore' });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function readLock(dir: string) {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'pixlock.lock'), 'utf8');
  } catch {
    return undefined; // killed before the first write: no lock is a valid state
  }
  try {
    return parseLock(text, 'pixlock.lock');
  } catch {
    totals.invalidLocks++;
    return undefined;
  }
}

/** Files in outputs that the lock does not vouch for, and originals whose bytes are not their name. */
async function badFiles(dir: string): Promise<number> {
  const lock = await readLock(dir);
  const vouched = new Map<string, string>();
  for (const entry of Object.values(lock?.images ?? {}))
    for (const f of entry.output.files) vouched.set(f.path, f.sha256);
  let bad = 0;
  const out = path.join(dir, 'out');
  for (const name of await readdir(out).catch(() => [])) {
    const rel = `out/${name}`;
    const data = await readFile(path.join(dir, rel));
    if (vouched.get(rel) !== sha256(data)) {
      bad++;
      console.error(`  not vouched for by the lock: ${dir}/${rel}`);
    }
  }
  const originals = path.join(dir, '.pixlock', 'originals');
  for (const name of await readdir(originals).catch(() => [])) {
    if (sha256(await readFile(path.join(originals, name))) !== path.parse(name).name) {
      bad++;
      console.error(`  original whose bytes are not its name: ${originals}/${name}`);
    }
  }
  return bad;
}

try {
  for (let round = 0; round < ROUNDS; round++) {
    const dir = path.join(root, `round-${round}`);
    await mkdir(dir);
    const images = Array.from(
      { length: IMAGES },
      (_, i) => `  img-${i}:\n    prompt: round ${round} picture ${i}\n    seed: ${i}\n`,
    );
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      `version: 1
provider: { name: kinovi, model: nanobanana2, pollInterval: 50, timeout: 60000 }
outDir: out
concurrency: 8
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
${images.join('')}`,
    );
    const killAt = Math.round(100 + Math.random() * 2500);
    await run(dir, killAt);
    // Right after the kill only the lock must be valid: outputs may be written and not yet
    // recorded. After the run to completion, every file must be vouched for by the lock.
    await readLock(dir);
    await run(dir);
    const lock = await readLock(dir);
    totals.partialFiles += await badFiles(dir);
    const done = Object.keys(lock?.images ?? {}).length;
    const held = Object.values(lock?.pending ?? {}).filter((p) => p.taskId === undefined).length;
    totals.held += held;
    if (done + held < IMAGES) totals.incomplete += IMAGES - done - held;
    console.error(`round ${round + 1}: killed at ${killAt} ms; ${done} done, ${held} held`);
  }
  const paidTwice = Object.values(fake.stats.createsByPrompt).filter((n) => n > 1).length;
  console.log(
    `${ROUNDS} rounds of ${IMAGES} images, kill -9 at a random moment, then run to completion`,
  );
  console.log(`images paid twice:                          ${paidTwice}`);
  console.log(`invalid locks:                              ${totals.invalidLocks}`);
  console.log(`partial or unverified files (outputs, originals): ${totals.partialFiles}`);
  console.log(`held (create sent, answer lost to the kill): ${totals.held}`);
  console.log(`neither done nor held after the second run: ${totals.incomplete}`);
  console.log(
    `server: ${fake.stats.creates} creates, ${fake.stats.pollFaults} poll faults, ${fake.stats.downloadFaults} download faults`,
  );
} finally {
  await fake.close();
  await rm(root, { recursive: true, force: true });
}
