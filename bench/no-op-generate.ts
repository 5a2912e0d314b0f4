// Benchmark: a 10,000-image manifest with a complete lock and every output on disk.
// Times `plan` in-process and a no-op `pixlock generate` as a whole process (cold hash cache,
// then warm). Target: the no-op run under 0.3 s at 10,000 images (2 s at 100,000).
// Run: pnpm bench:plan [images]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, planProject } from '../packages/core/src/index.js';
import { completeProject } from './complete-project.js';

const N = Number(process.argv[2] ?? 10_000);
const root = fileURLToPath(new URL('.', import.meta.url));
const dir = path.join(root, '.work', `no-op-${N}`);
const bin = path.join(root, '..', 'packages', 'cli', 'dist', 'bin.js');

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const lines = [
  'version: 1',
  'provider: { name: placeholder }',
  'outDir: generated',
  'defaults:',
  '  resolution: 1k',
  '  output: { format: webp, widths: [640] }',
  'images:',
];
for (let i = 0; i < N; i++) {
  lines.push(
    `  section-${i % 50}/image-${i}:`,
    `    prompt: Illustration number ${i} of a calm landscape, soft light`,
    `    seed: ${i}`,
    `    aspectRatio: "${i % 2 ? '16:9' : '1:1'}"`,
  );
}
writeFileSync(path.join(dir, 'pixlock.yaml'), lines.join('\n') + '\n');

let t = performance.now();
const files = await completeProject(dir);
console.log(
  `fixture: ${N} images, ${files} output files, built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

// As a project is between runs: pixlock trusts no file identity younger than 3 s (a rewrite
// within the file system's clock tick keeps the times), so a fixture this fresh is read in full.
await new Promise((resolve) => setTimeout(resolve, 3100));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const planTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const project = await loadProject(path.join(dir, 'pixlock.yaml'));
  const { plan } = await planProject(project);
  planTimes.push(performance.now() - t);
  if (plan.entries.some((e) => e.action !== 'unchanged'))
    throw new Error('fixture is not up to date');
}
console.log(
  `plan in-process (read manifest + lock, stat/hash outputs, plan): median ${median(planTimes).toFixed(0)} ms of 5 (first ${planTimes[0]!.toFixed(0)} ms, cold hash cache)`,
);

const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const out = execFileSync(
    process.execPath,
    [bin, 'generate', '--config', path.join(dir, 'pixlock.yaml')],
    { encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  runs.push(performance.now() - t);
  if (!out.includes(`${N} reused`)) throw new Error(`unexpected output: ${out}`);
}
const warm = median(runs);
console.log(
  `no-op pixlock generate (whole process): median ${warm.toFixed(0)} ms of 5, min ${Math.min(...runs).toFixed(0)} ms, max ${Math.max(...runs).toFixed(0)} ms`,
);
const target = N <= 10_000 ? 300 : 2000;
console.log(`target: no-op run under ${target} ms -> ${warm < target ? 'met' : 'NOT met'}`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
