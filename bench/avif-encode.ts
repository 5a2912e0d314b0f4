// Benchmark: encoding one 2k original (2048×1152, examples/basic's hero) to AVIF, the way
// pixlock does by default (sharpCodec with its default encoder settings) against what a user
// writes with sharp and no settings (`sharp(file).avif()`, libaom effort 4), and pixlock's
// WebP for scale. Target: pixlock's default AVIF under 2 s on a 2-core machine.
// Runs alternate (baseline, pixlock, ...) after one warm-up of each; prints min and median.
// Run: pnpm exec tsx bench/avif-encode.ts [rounds]
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { encoderSettings } from '../packages/core/src/engine/encoder-settings.js';
import { sharpCodec } from '../packages/core/src/codec/sharp-codec.js';
import type { OutputOptions } from '../packages/core/src/manifest/resolved-manifest.js';

const ORIGINAL = new URL(
  '../examples/basic/.pixlock/originals/7541c93b4fb3e2dfab54c3fe74a291f6dc419a8207c69af7c635fb118b0310df.png',
  import.meta.url,
);
const rounds = Number(process.argv[2] ?? 3);
const bytes = await readFile(ORIGINAL);
const codec = sharpCodec();
const decoded = await codec.decode(bytes);
const output: OutputOptions = { format: 'avif', fit: 'cover' };

const cases: Record<string, () => Promise<number>> = {
  'sharp .avif() (effort 4)': async () => (await sharp(bytes).avif().toBuffer()).length,
  'pixlock avif (default)': async () =>
    (
      await codec.encode(decoded, {
        format: 'avif',
        fit: 'cover',
        ...encoderSettings(output, 'avif'),
      })
    ).data.length,
  'pixlock webp (default)': async () =>
    (
      await codec.encode(decoded, {
        format: 'webp',
        fit: 'cover',
        ...encoderSettings(output, 'webp'),
      })
    ).data.length,
};

const times = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
const sizes = new Map<string, number>();
for (const run of Object.values(cases)) await run(); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = performance.now();
    sizes.set(name, await run());
    times.get(name)!.push(performance.now() - start);
  }
}

console.log(
  `${decoded.width}×${decoded.height}, ${rounds} rounds, sharp concurrency ${sharp.concurrency()}`,
);
for (const [name, t] of times) {
  const sorted = [...t].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${name.padEnd(26)} min ${(sorted[0]! / 1000).toFixed(2)} s  median ${(median / 1000).toFixed(2)} s  ${sizes.get(name)} bytes`,
  );
}
