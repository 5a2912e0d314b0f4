// Benchmark: the bytes of pixlock's AVIF and WebP outputs against vite-imagetools on the same
// sources, at equal settings and at equal measured quality.
//
// Sources: examples/basic's 2048×1152 hero (a placeholder drawing) and, when the Debian package
// mate-backgrounds is installed (apt-get install mate-backgrounds), six of its nature photos
// cropped to 2048×1152, the size of a 2k 16:9 original (or --photos DIR: every .jpg/.png there).
// Each is made at widths 640, 1280 and 1600, as AVIF (effort 2, pixlock's default) and WebP.
//
// pixlock: its real encode path (writeOutputs with sharpCodec, an image per pipeline slot, as a
// run does) at quality 80. Baselines, what a user writes: a Vite build with vite-imagetools importing
// `photo.png?w=640;1280;1600&format=avif&quality=80&effort=2` (and `format=webp&quality=80`),
// in two versions: 12.0.1 (sharp 0.35) and 9.0.3 (sharp 0.34.5, whose AVIF was the smallest at
// equal settings); and, to show why those two differ, sharp 0.35 told to use sharp 0.34's SSIM
// tuning (`tune: 'ssim'`, a plain script, AVIF only). Quality is SSIM (ssim.js) of each decoded
// file against the source resized to its width. "At equal quality" asks how many bytes the
// baseline needs to reach pixlock's SSIM: its outputs at quality 40-95 give a curve per file,
// read at pixlock's SSIM (log-linear between neighbours).
//
// Timing: pixlock's encodes of the whole set against a q80 Vite build of each imagetools,
// alternated, `--rounds` times (default 3), min / median.
// Run: pnpm bench:size [--rounds N] [--photos DIR] [--detail: every file]
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import { build } from 'vite';
import { imagetools as imagetools12 } from 'vite-imagetools';
import { imagetools as imagetools9 } from 'vite-imagetools-9';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { sharpCodec } from '../packages/core/src/codec/sharp-codec.js';
import { memoryStore } from '../packages/core/src/engine/test-utils/memory-store.js';
import { writeOutputs } from '../packages/core/src/engine/write-outputs.js';
import type { OutputFormat } from '../packages/core/src/manifest/schema.js';
import type {
  OutputOptions,
  ResolvedImage,
} from '../packages/core/src/manifest/resolved-manifest.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    photos: { type: 'string', default: '/usr/share/backgrounds/mate/nature' },
    detail: { type: 'boolean', default: false },
    // Only the quality-80 outputs and the times (no curves, so no "at equal quality").
    'no-sweep': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const WIDTHS = [640, 1280, 1600];
const FORMATS: OutputFormat[] = ['avif', 'webp'];
const QUALITY = 80;
const SWEEP = [40, 50, 60, 70, 80, 90, 95];
const PHOTOS = ['LadyBird', 'TwoWings', 'Wood', 'Garden', 'Storm', 'RainDrops'];
const HERO = new URL(
  '../examples/basic/.pixlock/originals/7541c93b4fb3e2dfab54c3fe74a291f6dc419a8207c69af7c635fb118b0310df.png',
  import.meta.url,
);
const SSIM_TUNED = "sharp 0.35, tune: 'ssim'";
const BASELINES = { 'vite-imagetools 12.0.1': imagetools12, 'vite-imagetools 9.0.3': imagetools9 };
type Baseline = keyof typeof BASELINES;

/** One output file: which, its bytes and its SSIM against the source at its width. */
interface Made {
  key: string;
  bytes: number;
  ssim: number;
}

const work = await mkdtemp(path.join(tmpdir(), 'pixlock-bench-size-'));
try {
  const sources = await prepareSources(path.join(work, 'src'));
  console.log(`${sources.length} sources (${sources.join(', ')}), widths ${WIDTHS.join(', ')}`);
  const references = await referenceImages(work, sources);

  const pixlock = await pixlockOutputs(work, sources, references);
  const qualities = args['no-sweep'] ? [QUALITY] : SWEEP;
  const curves = new Map<string, Map<number, Map<string, Made>>>();
  for (const name of Object.keys(BASELINES) as Baseline[]) {
    const byQuality = new Map<number, Map<string, Made>>();
    for (const q of qualities) byQuality.set(q, await baselineOutputs(work, name, q, references));
    curves.set(name, byQuality);
  }
  // Why the two imagetools differ: sharp 0.35 with the SSIM tuning sharp 0.34 used (AVIF only).
  const tuned = new Map<number, Map<string, Made>>();
  for (const q of qualities) tuned.set(q, await ssimTuned(work, sources, q, references));
  curves.set(SSIM_TUNED, tuned);

  console.log('\nbytes (sum over every file) and mean SSIM, quality 80:');
  for (const format of FORMATS) {
    const mine = [...pixlock.made.values()].filter((m) => m.key.endsWith(`.${format}`));
    const row = [`${format}: pixlock ${sum(mine)} B (SSIM ${meanSsim(mine)})`];
    for (const [name, byQuality] of curves) {
      if (name === SSIM_TUNED && format !== 'avif') continue;
      const theirs = [...byQuality.get(QUALITY)!.values()].filter((m) =>
        m.key.endsWith(`.${format}`),
      );
      const atEqual = mine.map((m) => bytesAt(byQuality, m.key, m.ssim));
      const known = atEqual.filter((b): b is number => b !== undefined);
      if (args.detail)
        mine.forEach((m, i) =>
          console.log(
            `    ${name} ${m.key}: pixlock ${m.bytes} B SSIM ${m.ssim.toFixed(5)}; ${Math.round(atEqual[i] ?? NaN)} B at that SSIM`,
          ),
        );
      // Interpolation is not exact: "larger" is more than 1% larger.
      const larger = mine.filter(
        (m, i) => atEqual[i] !== undefined && m.bytes > atEqual[i]! * 1.01,
      ).length;
      const needed = known.reduce((a, b) => a + b, 0);
      const compared = sum(mine.filter((_, i) => atEqual[i] !== undefined));
      row.push(
        `${name}: ${sum(theirs)} B (SSIM ${meanSsim(theirs)}, pixlock ${pct(sum(mine) / sum(theirs))})` +
          (known.length === 0
            ? ''
            : `; at pixlock's SSIM it needs ${Math.round(needed)} B for ${known.length} of ${mine.length} files ` +
              `(pixlock ${pct(compared / needed)}; pixlock over 1% larger in ${larger})`),
      );
    }
    console.log(row.join('\n  '));
  }

  console.log(
    `\ntime, ${ROUNDS} rounds alternated (pixlock: writeOutputs of every image, as a run makes them; baselines: a whole vite build):`,
  );
  const times = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    times.set('pixlock', [
      ...(times.get('pixlock') ?? []),
      (await pixlockOutputs(work, sources, references)).ms,
    ]);
    for (const name of Object.keys(BASELINES) as Baseline[]) {
      const start = performance.now();
      await baselineOutputs(work, name, QUALITY, undefined);
      times.set(name, [...(times.get(name) ?? []), performance.now() - start]);
    }
  }
  for (const [name, t] of times) {
    const sorted = [...t].sort((a, b) => a - b);
    console.log(
      `  ${name.padEnd(24)} min ${(sorted[0]! / 1000).toFixed(2)} s  median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(2)} s`,
    );
  }
  console.log(
    `\nsharp: ${sharp.versions.sharp} (libvips ${sharp.versions.vips}, aom ${sharp.versions.aom}), concurrency ${sharp.concurrency()}`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

/** The sources as 2048×1152 PNG files in `dir`; their base names. */
async function prepareSources(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'hero.png'), await readFile(HERO));
  const names = ['hero'];
  if (existsSync(args.photos)) {
    const files = (await readdir(args.photos)).filter((f) => /\.(jpe?g|png)$/i.test(f));
    const chosen = args.photos.endsWith('mate/nature')
      ? files.filter((f) => PHOTOS.includes(f.replace(/\.\w+$/, '')))
      : files;
    for (const f of chosen.sort()) {
      const name = `photo-${f.replace(/\.\w+$/, '').toLowerCase()}`;
      await sharp(path.join(args.photos, f))
        .resize(2048, 1152, { fit: 'cover' })
        .png()
        .toFile(path.join(dir, `${name}.png`));
      names.push(name);
    }
  } else {
    console.log(
      `(no photos: ${args.photos} is missing; apt-get install mate-backgrounds adds them)`,
    );
  }
  return names;
}

/** Each source at each width, decoded: what every output is compared with. */
async function referenceImages(dir: string, sources: string[]) {
  const refs = new Map<string, { data: Uint8ClampedArray; width: number; height: number }>();
  for (const name of sources)
    for (const width of WIDTHS)
      refs.set(
        `${name}-${width}`,
        await rgba(sharp(path.join(dir, 'src', `${name}.png`)).resize({ width })),
      );
  return refs;
}

/**
 * pixlock's outputs of every source, made as a run makes them: writeOutputs (each image's
 * files encoded at once) with sharpCodec, one image per pipeline slot (the machine's
 * parallelism), into a store in memory; their bytes, SSIM and the time taken.
 */
async function pixlockOutputs(
  dir: string,
  sources: string[],
  refs: Awaited<ReturnType<typeof referenceImages>>,
) {
  const codec = sharpCodec();
  const store = memoryStore();
  const pipeline = pLimit(Math.max(1, availableParallelism()));
  const output: OutputOptions = {
    format: 'avif',
    formats: FORMATS,
    widths: WIDTHS,
    quality: QUALITY,
    fit: 'cover',
  };
  const start = performance.now();
  await Promise.all(
    sources.map((name) =>
      pipeline(async () => {
        const decoded = await codec.decode(await readFile(path.join(dir, 'src', `${name}.png`)));
        const image: ResolvedImage = {
          id: name,
          prompt: '',
          aspectRatio: '16:9',
          resolution: '2k',
          references: [],
          imageReferences: [],
          output,
          sourceFile: path.join(dir, 'pixlock.yaml'),
        };
        await writeOutputs(codec, store, '.', image, decoded, undefined);
      }),
    ),
  );
  const ms = performance.now() - start;
  const made = new Map<string, Made>();
  for (const [file, data] of store.outputs) {
    const key = file;
    const ref = refs.get(key.replace(/\.\w+$/, ''))!;
    made.set(key, { key, bytes: data.length, ssim: ssim(ref, await rgba(sharp(data))).mssim });
  }
  return { made, ms };
}

/**
 * A Vite build with one version of vite-imagetools importing every source at every width in
 * both formats at quality `q`, as a user writes it; the files it emitted, measured when `refs`
 * is given.
 */
async function baselineOutputs(
  dir: string,
  name: Baseline,
  q: number,
  refs: Awaited<ReturnType<typeof referenceImages>> | undefined,
): Promise<Map<string, Made>> {
  const root = path.join(dir, 'app');
  const out = path.join(dir, 'dist');
  await rm(out, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const sources = (await readdir(path.join(dir, 'src'))).map((f) => f.replace('.png', ''));
  const w = WIDTHS.join(';');
  const lines = sources.flatMap((s, i) => [
    `import a${i} from '../src/${s}.png?w=${w}&format=avif&quality=${q}&effort=2&as=srcset';`,
    `import w${i} from '../src/${s}.png?w=${w}&format=webp&quality=${q}&as=srcset';`,
  ]);
  lines.push(`export default [${sources.flatMap((_, i) => [`a${i}`, `w${i}`]).join(', ')}];`);
  await writeFile(path.join(root, 'main.js'), lines.join('\n'));
  await build({
    root,
    logLevel: 'silent',
    configFile: false,
    plugins: [BASELINES[name]({ cache: { enabled: false } })],
    build: {
      outDir: out,
      emptyOutDir: true,
      assetsInlineLimit: 0,
      lib: { entry: path.join(root, 'main.js'), formats: ['es'], fileName: 'main' },
    },
  });
  const made = new Map<string, Made>();
  if (!refs) return made;
  // A library build emits the images beside its entry as <source>.<ext>, <source>2.<ext>, ...
  const images = (await readdir(out)).filter((f) => /\.(avif|webp)$/.test(f));
  for (const file of images) {
    const source = sources.filter((s) => file.startsWith(s)).sort((a, b) => b.length - a.length)[0];
    const bytes = await readFile(path.join(out, file));
    const meta = await sharp(bytes).metadata();
    const format = file.endsWith('.avif') ? 'avif' : 'webp';
    const key = `${source}-${meta.width}.${format}`;
    const ref = refs.get(`${source}-${meta.width}`);
    if (!source || !ref) throw new Error(`cannot tell which source ${file} is`);
    made.set(key, { key, bytes: bytes.length, ssim: ssim(ref, await rgba(sharp(bytes))).mssim });
  }
  return made;
}

/** AVIF as sharp 0.35 makes it with `tune: 'ssim'` (sharp 0.34's tuning), in a plain script. */
async function ssimTuned(
  dir: string,
  sources: string[],
  q: number,
  refs: Awaited<ReturnType<typeof referenceImages>>,
): Promise<Map<string, Made>> {
  const made = new Map<string, Made>();
  for (const name of sources)
    for (const width of WIDTHS) {
      const data = await sharp(path.join(dir, 'src', `${name}.png`))
        .resize({ width })
        .avif({ quality: q, effort: 2, tune: 'ssim' })
        .toBuffer();
      const key = `${name}-${width}.avif`;
      const ref = refs.get(`${name}-${width}`)!;
      made.set(key, { key, bytes: data.length, ssim: ssim(ref, await rgba(sharp(data))).mssim });
    }
  return made;
}

/** The bytes a baseline's curve needs to reach `target` SSIM for file `key`, if in its range. */
function bytesAt(
  byQuality: Map<number, Map<string, Made>>,
  key: string,
  target: number,
): number | undefined {
  const points = [...byQuality.values()]
    .map((made) => made.get(key)!)
    .sort((a, b) => a.ssim - b.ssim);
  for (let i = 1; i < points.length; i++) {
    const [lo, hi] = [points[i - 1]!, points[i]!];
    if (lo.ssim <= target && target <= hi.ssim && hi.ssim > lo.ssim) {
      const t = (target - lo.ssim) / (hi.ssim - lo.ssim);
      return Math.exp(Math.log(lo.bytes) + t * (Math.log(hi.bytes) - Math.log(lo.bytes)));
    }
  }
  return undefined;
}

async function rgba(image: Sharp) {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

function sum(made: Made[]): number {
  return made.reduce((s, m) => s + m.bytes, 0);
}

function meanSsim(made: Made[]): string {
  return (made.reduce((s, m) => s + m.ssim, 0) / made.length).toFixed(4);
}

function pct(ratio: number): string {
  const p = (ratio - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}
