// Benchmark (issue 22): a fresh clone's `generate --frozen` on a project whose outputs are in
// the store (store.outputs: true), restoring them from it, against the same clone re-encoding
// them from its originals, as a project without the store does (originals committed, outputs
// not: what CI runners do today). N images (default 300), each AVIF + WebP at 3 widths, on the
// placeholder provider; a real S3 protocol server (s3rver) on loopback. Rounds alternate which
// goes first; times are min / median of the rounds, with the store's requests as the server
// counted them. Every restored file is checked byte-identical to the one first made. A third
// contender is what a user without pixlock writes: bench/sharp-encode-baseline.mjs encoding the
// same originals to the same files with plain sharp, in a process of its own.
// Run: pnpm bench:store-restore [images] [rounds]
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3 } from '../packages/fake-s3/src/index.js';
import { generate, parseLock } from '../packages/core/src/index.js';

const N = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 3);
process.env.AWS_ACCESS_KEY_ID = FAKE_S3_ACCESS_KEY_ID;
process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
const s3 = await startFakeS3();
const env = { ...process.env, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1' };
const root = path.join(fileURLToPath(new URL('.', import.meta.url)), '.work', `store-restore-${N}`);
await rm(root, { recursive: true, force: true });

const manifest = (store: boolean) =>
  [
    'version: 1',
    'provider: { name: placeholder }',
    'outDir: generated',
    ...(store ? [`store: { url: "s3://${s3.bucket}/bench", outputs: true }`] : []),
    'defaults:',
    '  resolution: 1k',
    '  output: { formats: [avif, webp], widths: [320, 640, 960] }',
    'images:',
    ...Array.from({ length: N }, (_, i) => `  img-${i}: { prompt: "picture ${i}", seed: ${i} }`),
  ].join('\n') + '\n';

// The project as its author has it: generated once, everything pushed.
const source = path.join(root, 'source');
await mkdir(source, { recursive: true });
await writeFile(path.join(source, 'pixlock.yaml'), manifest(true));
const t = performance.now();
const first = await generate({ config: path.join(source, 'pixlock.yaml'), env });
if (first.run?.unpushed) throw new Error('the first run could not push everything');
const lockText = await readFile(path.join(source, 'pixlock.lock'), 'utf8');
const files = Object.values(parseLock(lockText, 'pixlock.lock').images).flatMap(
  (e) => e.output.files,
);
console.log(
  `fixture: ${N} images, ${files.length} output files, generated and pushed in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

/** A fresh clone: the manifest and the lock; for re-encoding, the originals too. */
async function clone(name: string, withStore: boolean): Promise<string> {
  const dir = path.join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest(withStore));
  await writeFile(path.join(dir, 'pixlock.lock'), lockText);
  if (!withStore)
    await cp(path.join(source, '.pixlock', 'originals'), path.join(dir, '.pixlock', 'originals'), {
      recursive: true,
    });
  return dir;
}

async function timed(name: 'restore' | 'encode', round: number): Promise<number> {
  const dir = await clone(`${name}-${round}`, name === 'restore');
  const before = { ...s3.stats.requests };
  const start = performance.now();
  const { run } = await generate({ config: path.join(dir, 'pixlock.yaml'), frozen: true, env });
  const ms = performance.now() - start;
  if (run?.counts.restored !== N) throw new Error(`${name}: ${run?.counts.restored} restored`);
  for (const f of files) {
    const [a, b] = await Promise.all([
      readFile(path.join(dir, f.path)),
      readFile(path.join(source, f.path)),
    ]);
    if (!a.equals(b)) throw new Error(`${name}: ${f.path} differs`);
  }
  if (name === 'restore') {
    const r = s3.stats.requests;
    requests = `${r.list - before.list} listings, ${r.head - before.head} HEADs, ${r.get - before.get} GETs, ${r.put - before.put} PUTs`;
  }
  await rm(dir, { recursive: true, force: true });
  return ms;
}

/** The plain sharp script on a copy of the originals; checks it made every file. */
async function script(round: number): Promise<number> {
  const dir = await clone(`script-${round}`, false);
  const out = path.join(dir, 'generated');
  const start = performance.now();
  execFileSync(process.execPath, [
    fileURLToPath(new URL('sharp-encode-baseline.mjs', import.meta.url)),
    path.join(dir, '.pixlock', 'originals'),
    out,
  ]);
  const ms = performance.now() - start;
  const made = (await readdir(out)).length;
  if (made !== files.length) throw new Error(`script: ${made} files, ${files.length} expected`);
  await rm(dir, { recursive: true, force: true });
  return ms;
}

let requests = '';
const times = { restore: [] as number[], encode: [] as number[], script: [] as number[] };
const orders = [
  ['restore', 'encode', 'script'],
  ['script', 'encode', 'restore'],
  ['encode', 'restore', 'script'],
] as const;
for (let round = 0; round < ROUNDS; round++) {
  for (const name of orders[round % orders.length]!) {
    times[name].push(name === 'script' ? await script(round) : await timed(name, round));
  }
  const last = (name: keyof typeof times) => (times[name].at(-1)! / 1000).toFixed(2);
  console.log(
    `round ${round + 1}: restore ${last('restore')} s, re-encode ${last('encode')} s, plain sharp script ${last('script')} s`,
  );
}
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]! };
};
const r = stat(times.restore);
const e = stat(times.encode);
const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `restore from the store (generate --frozen): min ${f(r.min)}, median ${f(r.median)} of ${ROUNDS}; ${requests} per clone`,
);
console.log(
  `re-encode from originals (generate --frozen): min ${f(e.min)}, median ${f(e.median)} of ${ROUNDS}`,
);
const p = stat(times.script);
console.log(
  `plain sharp script, same originals to the same files: min ${f(p.min)}, median ${f(p.median)} of ${ROUNDS}`,
);
const speedup = Math.min(e.median, p.median) / r.median;
console.log(
  `speedup (median, against the faster of the two encoders): ${speedup.toFixed(1)}x; target at least 5x -> ${speedup >= 5 ? 'met' : 'NOT met'}`,
);
console.log('every restored and re-encoded file byte-identical to the one first made');
await s3.close();
await rm(root, { recursive: true, force: true });
