// Benchmark: CI shards.
//
// 1. Wall time of an encode-bound first generate (placeholder provider, 2k originals, AVIF and
//    WebP at 640, 1280 and 1920 px: six encodes per image) by one runner, against the same
//    manifest split in two shards, each in its own copy of the project as CI runners are (the
//    built CLI, `generate --shard i/2`, then `merge`). A CI matrix gives each shard a machine
//    of its own, as the one runner had; here a machine is one core (taskset: pixlock encodes
//    as many images at once as it has cores, os.availableParallelism(), which follows the
//    affinity; sharp runs one libvips thread per image on glibc). So the one runner is pinned
//    to core 0, and the two shards either run side by side pinned to cores 0 and 1, or one
//    after the other alone on core 0 (no shard slowed by the other or by whatever else runs on
//    the other core; the matrix takes as long as the slower). For reference, the whole
//    machine: the one runner already encodes on both cores, so two shards there only share
//    them. Alternated, repeated, min / median; the load average is printed (the machine is
//    shared).
// 2. The split's balance and stability at 1,000 and 10,000 images for n = 4 and 16 (what a
//    larger matrix would see), beside the splits a user would write by hand: `hash(id) % n`
//    (stable, balanced only by chance) and round robin over the sorted ids (even by count,
//    but adding an image moves those after it).
//
// Run: pnpm bench:shards [--images 24] [--repeats 3] [--modes pinned,one-at-a-time,shared]
//      [--no-encode] [--no-split]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { emptyLock } from '../packages/core/src/lock/lockfile.js';
import type {
  ResolvedImage,
  ResolvedManifest,
} from '../packages/core/src/manifest/resolved-manifest.js';
import { plan } from '../packages/core/src/plan/plan.js';
import { lockAsObserved } from '../packages/core/src/shard/lock-as-observed.js';
import { splitPlan } from '../packages/core/src/shard/split-plan.js';

const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const IMAGES = Number(flag('--images') ?? 24);
const REPEATS = Number(flag('--repeats') ?? 3);
const BIN = path.resolve('packages/cli/dist/bin.js');
const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function encodeManifest(n: number): string {
  const images = Array.from(
    { length: n },
    (_, i) => `  photo-${String(i).padStart(3, '0')}: { prompt: "photo ${i}", seed: ${i + 1} }`,
  );
  return `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  aspectRatio: '16:9'
  resolution: 2k
  output: { formats: [avif, webp], widths: [640, 1280, 1920] }
images:
${images.join('\n')}
`;
}

/** Runs `pixlock ...args` in `dir`, pinned to `cpus` (taskset) when given; resolves on exit 0. */
function pixlock(dir: string, args: string[], cpus?: string): Promise<void> {
  const cmd = cpus ? 'taskset' : process.execPath;
  const full = cpus ? ['-c', cpus, process.execPath, BIN, ...args] : [BIN, ...args];
  const child = spawn(cmd, full, {
    cwd: dir,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pixlock ${args.join(' ')}: ${code} ${err}`)),
    ),
  );
}

async function fresh(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-shards-bench-'));
  await writeFile(path.join(dir, 'pixlock.yaml'), encodeManifest(IMAGES));
  return dir;
}

/** Seconds for one runner to generate everything, pinned to `cpus` when given. */
async function oneRunner(cpus?: string): Promise<number> {
  const dir = await fresh();
  try {
    const start = performance.now();
    await pixlock(dir, ['generate'], cpus);
    return (performance.now() - start) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * How two shards are run: side by side on the whole machine; side by side each pinned to a
 * core of its own; or one after the other, each alone on core 0 (each on a machine of its own,
 * the machine the one runner had: the matrix takes as long as its slower shard).
 */
type ShardMode = 'shared' | 'pinned' | 'one-at-a-time';

/** Seconds for two shards (separate copies) as `mode` says, then the merge; checks the lock. */
async function twoShards(mode: ShardMode): Promise<number> {
  const a = await fresh();
  const b = await mkdtemp(path.join(tmpdir(), 'pixlock-shards-bench-'));
  await cp(a, b, { recursive: true });
  try {
    let shards: number;
    if (mode === 'one-at-a-time') {
      const timed = async (dir: string, shard: string) => {
        const start = performance.now();
        await pixlock(dir, ['generate', '--shard', shard], '0');
        return (performance.now() - start) / 1000;
      };
      shards = Math.max(await timed(a, '1/2'), await timed(b, '2/2'));
    } else {
      const start = performance.now();
      await Promise.all([
        pixlock(a, ['generate', '--shard', '1/2'], mode === 'pinned' ? '0' : undefined),
        pixlock(b, ['generate', '--shard', '2/2'], mode === 'pinned' ? '1' : undefined),
      ]);
      shards = (performance.now() - start) / 1000;
    }
    // What the merge runner does with the artifacts: shard 2's lock, originals and outputs in.
    await cp(b, a, { recursive: true, force: false, errorOnExist: false });
    await pixlock(a, ['merge']);
    const lock = await readFile(path.join(a, 'pixlock.lock'), 'utf8');
    if ((lock.match(/^ {2}photo-/gm) ?? []).length !== IMAGES)
      throw new Error('the merged lock does not hold every image');
    await pixlock(a, ['check']);
    return shards;
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');

async function encodeBench(): Promise<void> {
  const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  console.log(
    `\n${IMAGES} images, each a 2048×1152 placeholder original encoded to AVIF + WebP at 640/1280/1920 px; ${REPEATS} repeats, alternated; seconds, min / median; load average ${load()} at the start`,
  );
  const rows = [
    '| runners | 1 runner | 2 shards | speed-up, min / median |',
    '| --- | --- | --- | --- |',
  ];
  const modes: { mode: ShardMode; cpus?: string; label: string }[] = [
    { mode: 'shared', label: 'one machine: the 1 runner and both shards on its 2 cores' },
  ];
  if (taskset)
    modes.unshift(
      {
        mode: 'pinned',
        cpus: '0',
        label: 'a matrix: one core per runner (taskset), shards side by side',
      },
      {
        mode: 'one-at-a-time',
        cpus: '0',
        label: 'a matrix: one core per runner (taskset), shards one after the other',
      },
    );
  const only = flag('--modes')?.split(',');
  for (const { mode, cpus, label } of modes.filter((m) => !only || only.includes(m.mode))) {
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      if (r % 2 === 0) {
        one.push(await oneRunner(cpus));
        two.push(await twoShards(mode));
      } else {
        two.push(await twoShards(mode));
        one.push(await oneRunner(cpus));
      }
    }
    rows.push(
      `| ${label} | ${min(one).toFixed(2)} / ${median(one).toFixed(2)} | ${min(two).toFixed(2)} / ${median(two).toFixed(2)} | ${(min(one) / min(two)).toFixed(2)}× / ${(median(one) / median(two)).toFixed(2)}× |`,
    );
    console.error(rows.at(-1));
  }
  console.log(rows.join('\n'));
  console.log(`load average ${load()} at the end`);
}

/** A manifest of `n` images as real ones vary: formats, widths, resolutions, graphs. */
function syntheticManifest(n: number, salt: string): ResolvedManifest {
  let state = createHash('sha256').update(salt).digest().readUInt32BE(0);
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
  const images: ResolvedImage[] = [];
  const outputs = [
    { format: 'webp' as const, width: 640 },
    { format: 'avif' as const, formats: ['avif' as const, 'webp' as const], widths: [640, 1280] },
    {
      format: 'avif' as const,
      formats: ['avif' as const, 'webp' as const],
      widths: [640, 1280, 1920],
    },
    { format: 'jpeg' as const, widths: [320, 960] },
  ];
  for (let i = 0; i < n;) {
    // One in ten starts a character: a sheet and 2-11 images built on it.
    const size = next() < 0.1 ? 3 + Math.floor(next() * 10) : 1;
    const root = `set-${i}/sheet`;
    for (let k = 0; k < size && i < n; k++, i++) {
      images.push({
        id: k === 0 ? root : `set-${i - k}/scene-${k}`,
        prompt: `image ${i}`,
        seed: i,
        aspectRatio: next() < 0.5 ? '16:9' : '1:1',
        resolution: next() < 0.2 ? '4k' : next() < 0.5 ? '2k' : '1k',
        references: [],
        imageReferences: k === 0 ? [] : [root],
        output: { fit: 'cover', ...outputs[Math.floor(next() * outputs.length)]! },
        sourceFile: '/p/pixlock.yaml',
      });
    }
  }
  images.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: 'kinovi', model: 'nanobanana2' },
    concurrency: 8,
    images,
    files: [],
  };
}

function splitOf(m: ResolvedManifest, total: number) {
  const lock = emptyLock();
  return splitPlan(m, lock, plan(m, lock, lockAsObserved(lock, new Map())), total);
}

/** Shard of each id by a by-hand rule (components kept whole by their smallest id). */
function byHand(m: ResolvedManifest, total: number, rule: 'hash' | 'round-robin') {
  const keyOf = new Map<string, string>();
  for (const img of m.images) keyOf.set(img.id, img.imageReferences[0] ?? img.id);
  const keys = [...new Set(keyOf.values())].sort();
  const slot = new Map(
    keys.map((k, i) => [
      k,
      rule === 'hash' ? createHash('sha256').update(k).digest().readUInt32BE(0) % total : i % total,
    ]),
  );
  return new Map(m.images.map((img) => [img.id, slot.get(keyOf.get(img.id)!)! + 1]));
}

function splitBench(): void {
  console.log(
    '\nThe split: work per shard over the mean (max / min over shards), and after adding one image how many other images changed shard (mean / max of 20 adds); 5 manifests each',
  );
  const rows = [
    '| images | n | pixlock: work max / min | moved by an add | hash(id) % n: work max / min | moved | round robin: work max / min | moved |',
    '| ---: | ---: | --- | --- | --- | --- | --- | --- |',
  ];
  for (const n of [1000, 10_000]) {
    for (const total of [4, 16]) {
      const stats = { ours: new Stats(), hash: new Stats(), rr: new Stats() };
      for (let m = 0; m < 5; m++) {
        const manifest = syntheticManifest(n, `${n}-${m}`);
        const work = weights(manifest);
        const ours = splitOf(manifest, total);
        stats.ours.balance(ours.loads.map((l) => l.work));
        const hand = {
          hash: byHand(manifest, total, 'hash'),
          rr: byHand(manifest, total, 'round-robin'),
        };
        for (const rule of ['hash', 'rr'] as const) {
          const loads = new Array<number>(total).fill(0);
          for (const [id, s] of hand[rule]) loads[s - 1]! += work.get(id)!;
          const mean = loads.reduce((a, b) => a + b, 0) / total;
          stats[rule].balance(loads.map((l) => l / mean));
        }
        for (let k = 0; k < (n > 5000 ? 4 : 20) / 5; k++) {
          const added = {
            ...manifest,
            images: [
              ...manifest.images,
              { ...manifest.images[0]!, id: `added-${m}-${k}`, imageReferences: [] },
            ].sort((a, b) => (a.id < b.id ? -1 : 1)),
          };
          const after = splitOf(added, total);
          stats.ours.moved(
            [...ours.shardOf].filter(([id, s]) => after.shardOf.get(id) !== s).length,
          );
          for (const rule of ['hash', 'rr'] as const) {
            const again = byHand(added, total, rule === 'hash' ? 'hash' : 'round-robin');
            stats[rule].moved([...hand[rule]].filter(([id, s]) => again.get(id) !== s).length);
          }
        }
      }
      rows.push(
        `| ${n.toLocaleString('en')} | ${total} | ${stats.ours.balanceText()} | ${stats.ours.movedText()} | ${stats.hash.balanceText()} | ${stats.hash.movedText()} | ${stats.rr.balanceText()} | ${stats.rr.movedText()} |`,
      );
      console.error(rows.at(-1));
    }
  }
  console.log(rows.join('\n'));
}

/** Each image's work as the split weighs it (its share of tasks + its share of encoding). */
function weights(m: ResolvedManifest): Map<string, number> {
  const whole = splitOf(m, 1);
  const all = whole.loads[0]!;
  const w = new Map<string, number>();
  for (const img of m.images) {
    const alone = splitOf({ ...m, images: [img] }, 1).loads[0]!;
    w.set(img.id, alone.tasks / all.tasks + alone.encode / all.encode);
  }
  return w;
}

class Stats {
  private hi = 0;
  private lo = Infinity;
  private moves: number[] = [];
  balance(ratios: number[]): void {
    this.hi = Math.max(this.hi, ...ratios);
    this.lo = Math.min(this.lo, ...ratios);
  }
  moved(k: number): void {
    this.moves.push(k);
  }
  balanceText(): string {
    return `${this.hi.toFixed(2)} / ${this.lo.toFixed(2)}`;
  }
  movedText(): string {
    const mean = this.moves.reduce((a, b) => a + b, 0) / this.moves.length;
    return `${mean.toFixed(1)} / ${Math.max(...this.moves)}`;
  }
}

if (!argv.includes('--no-split')) splitBench();
if (!argv.includes('--no-encode')) await encodeBench();
