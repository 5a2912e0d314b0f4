// Benchmark: peak memory (RSS) of whole processes, read by /usr/bin/time from each child.
//  1. `pixlock generate` of N images at 4k with the placeholder provider, concurrency 4
//     (target: peak under 600 MB, flat in N).
//  2. A reprocess of 50 originals at 2048x1536 to 4 WebP widths, beside the hand-written sharp
//     script bench/sharp-resize-baseline.mjs doing the same work (targets: within 1.2x its
//     peak and 1.1x its wall time). Alternating order, repeated; min / median.
// Needs a build (pnpm build). Run: pnpm bench:memory [--count 200] [--repeats 3]
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback;
const COUNT = option('--count', 200);
const REPEATS = option('--repeats', 3);
const CLI = path.resolve('packages/cli/dist/bin.js');

/** Runs a command under /usr/bin/time; returns its peak RSS (MB) and wall time (s). */
function measure(command: string[], cwd: string): { rssMb: number; wallS: number } {
  const start = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', ...command], {
    cwd,
    encoding: 'utf8',
  });
  const wallS = (performance.now() - start) / 1000;
  const match = /MAXRSS (\d+)/.exec(child.stderr);
  if (child.status !== 0 || !match)
    throw new Error(`${command.join(' ')} failed: ${child.stderr}\n${child.stdout}`);
  return { rssMb: Number(match[1]) / 1024, wallS };
}

function manifest(n: number, resolution: string, ratio: string, output: string): string {
  const images = Array.from(
    { length: n },
    (_, i) => `  img-${i}:\n    prompt: picture ${i}\n    seed: ${i}\n`,
  );
  return `version: 1
provider: { name: placeholder }
outDir: out
concurrency: 4
defaults: { resolution: ${resolution}, aspectRatio: "${ratio}", output: ${output} }
images:
${images.join('')}`;
}

const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (xs: number[], digits: number) =>
  `${min(xs).toFixed(digits)} / ${median(xs).toFixed(digits)}`;

const root = await mkdtemp(path.join(tmpdir(), 'pixlock-memory-'));
try {
  // 1. First generate at 4k.
  const big = path.join(root, 'big');
  await spawnOk(['mkdir', '-p', big]);
  await writeFile(
    path.join(big, 'pixlock.yaml'),
    manifest(COUNT, '4k', '1:1', '{ format: webp, width: 1024 }'),
  );
  const first = measure(['node', CLI, 'generate'], big);

  // 2. Reprocess beside the hand-written script.
  const re = path.join(root, 're');
  await spawnOk(['mkdir', '-p', re]);
  const yaml = path.join(re, 'pixlock.yaml');
  await writeFile(yaml, manifest(50, '2k', '4:3', '{ format: webp, width: 2048 }'));
  measure(['node', CLI, 'generate'], re);
  const originals = path.join(re, '.pixlock', 'originals');
  const ours: { rssMb: number; wallS: number }[] = [];
  const theirs: { rssMb: number; wallS: number }[] = [];
  const widths = [
    '{ format: webp, widths: [1024, 640, 320] }',
    '{ format: webp, widths: [1024, 640, 321] }',
  ];
  const text = await readFile(yaml, 'utf8');
  for (let r = 0; r < REPEATS; r++) {
    // Each round changes the widths, so pixlock really reprocesses all 50.
    await writeFile(yaml, text.replace('{ format: webp, width: 2048 }', widths[r % 2]!));
    const runOurs = () => ours.push(measure(['node', CLI, 'generate'], re));
    const runTheirs = () =>
      theirs.push(
        measure(
          [
            'node',
            path.resolve('bench/sharp-resize-baseline.mjs'),
            originals,
            path.join(root, `hand-${r}`),
          ],
          process.cwd(),
        ),
      );
    if (r % 2 === 0) {
      runOurs();
      runTheirs();
    } else {
      runTheirs();
      runOurs();
    }
  }
  console.log(
    `peak RSS of whole processes (MB) and wall time (s); ${REPEATS} repeats, min / median`,
  );
  console.log('| run | peak RSS (MB) | wall (s) |');
  console.log('| --- | --- | --- |');
  console.log(
    `| pixlock generate, ${COUNT} images at 4k, concurrency 4 | ${first.rssMb.toFixed(0)} | ${first.wallS.toFixed(1)} |`,
  );
  console.log(
    `| pixlock reprocess, 50 originals 2048x1536 to 4 widths | ${fmt(
      ours.map((m) => m.rssMb),
      0,
    )} | ${fmt(
      ours.map((m) => m.wallS),
      2,
    )} |`,
  );
  console.log(
    `| hand-written sharp script, same work | ${fmt(
      theirs.map((m) => m.rssMb),
      0,
    )} | ${fmt(
      theirs.map((m) => m.wallS),
      2,
    )} |`,
  );
  const rssRatio = median(ours.map((m) => m.rssMb)) / median(theirs.map((m) => m.rssMb));
  const wallRatio = median(ours.map((m) => m.wallS)) / median(theirs.map((m) => m.wallS));
  console.log(`4k peak under 600 MB: ${first.rssMb < 600 ? 'met' : 'NOT met'}`);
  console.log(
    `reprocess vs script: peak ${rssRatio.toFixed(2)}x (target <= 1.2), wall ${wallRatio.toFixed(2)}x (target <= 1.1)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}

async function spawnOk(command: string[]): Promise<void> {
  const child = spawnSync(command[0]!, command.slice(1));
  if (child.status !== 0) throw new Error(`${command.join(' ')} failed`);
}
