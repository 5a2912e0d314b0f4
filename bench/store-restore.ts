// Benchmark (issue 22): a fresh clone's `generate --frozen` on a project whose outputs are in
// the store (store.outputs: true), restoring them from it, against the same clone re-encoding
// them from its originals, as a project without the store does (originals committed, outputs
// not: what CI runners do today). N images (default 300), each AVIF + WebP at 3 widths, on the
// placeholder provider; a real S3 protocol server (s3rver) on loopback. Rounds alternate which
// goes first; times are min / median of the rounds, with the store's requests as the server
// counted them. Every restored file is checked byte-identical to the one first made.
// Run: pnpm bench:store-restore [images] [rounds]
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

let requests = '';
const times = { restore: [] as number[], encode: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const order =
    round % 2 === 0 ? (['restore', 'encode'] as const) : (['encode', 'restore'] as const);
  for (const name of order) times[name].push(await timed(name, round));
  console.log(
    `round ${round + 1}: restore ${(times.restore.at(-1)! / 1000).toFixed(2)} s, re-encode ${(times.encode.at(-1)! / 1000).toFixed(2)} s`,
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
const speedup = e.median / r.median;
console.log(
  `speedup (median): ${speedup.toFixed(1)}x; target at least 5x -> ${speedup >= 5 ? 'met' : 'NOT met'}`,
);
console.log('every restored and re-encoded file byte-identical to the one first made');
await s3.close();
await rm(root, { recursive: true, force: true });
