// Benchmark: pixlock's own per-image cost at scale, without the pixels. A first `generate`
// in-process with the placeholder provider's requests but a download that writes a few bytes
// and a codec that does not draw, so what is measured is what pixlock adds per image (plan,
// scheduling, the lock journal, originals and outputs written to disk, the final lock) and
// whether it stays flat as N grows. Target: images/s at the largest N within 15% of the
// smallest. Run: pnpm exec tsx bench/engine-scale.ts [--big] (sizes 1k, 10k; --big adds 100k)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, placeholderProvider, type ImageCodec } from '../packages/core/src/index.js';

const big = process.argv.includes('--big');
const sizes = big ? [1000, 10_000, 100_000] : [1000, 10_000];
const root = fileURLToPath(new URL('.', import.meta.url));

// A PNG signature and then the image's own bytes: each original is distinct, as in a real run.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const inner = placeholderProvider();
const provider = {
  ...inner,
  download: async (output: { url: string }, destination: string) => {
    await writeFile(destination, Buffer.concat([PNG, Buffer.from(output.url)]));
    return { mediaType: 'image/png' };
  },
};
const codec: ImageCodec = {
  decode: async () => ({
    data: Buffer.alloc(16),
    width: 1024,
    height: 1024,
    channels: 4,
    mediaType: 'image/png',
  }),
  encode: async (image, spec) => ({
    data: Buffer.from(`webp ${spec.width ?? image.width}`),
    width: spec.width ?? image.width,
    height: spec.width ?? image.height,
  }),
};

console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log('| images | wall | images/s | heap used after |');
console.log('| ---: | ---: | ---: | ---: |');
const rates: number[] = [];
for (const n of sizes) {
  const dir = path.join(root, '.work', `engine-scale-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = [
    'version: 1',
    'provider: { name: placeholder }',
    'outDir: generated',
    'concurrency: 4',
    'defaults:',
    '  resolution: 1k',
    '  output: { format: webp, width: 64 }',
    'images:',
  ];
  for (let i = 0; i < n; i++)
    lines.push(`  section-${i % 50}/image-${i}: { prompt: "Illustration ${i}", seed: ${i} }`);
  writeFileSync(path.join(dir, 'pixlock.yaml'), lines.join('\n') + '\n');
  const t = performance.now();
  const result = await generate({ config: path.join(dir, 'pixlock.yaml'), provider, codec });
  const ms = performance.now() - t;
  if (result.run?.counts.created !== n) throw new Error(`created ${result.run?.counts.created}`);
  rates.push(n / (ms / 1000));
  const heap = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
  console.log(`| ${n} | ${(ms / 1000).toFixed(1)} s | ${rates.at(-1)!.toFixed(0)} | ${heap} MiB |`);
  rmSync(dir, { recursive: true, force: true });
}
const ratio = rates.at(-1)! / rates[0]!;
console.log(
  `images/s at ${sizes.at(-1)} / at ${sizes[0]}: ${ratio.toFixed(2)} (target >= 0.85): ${ratio >= 0.85 ? 'met' : 'NOT met'}`,
);
