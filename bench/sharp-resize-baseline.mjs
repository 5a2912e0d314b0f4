// The hand-written script pixlock's reprocess is measured against: what a user writes with
// sharp and no pixlock code. Resizes every image in a folder to four widths as WebP.
// Usage: node bench/sharp-resize-baseline.mjs <input dir> <output dir>
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const [input, output] = process.argv.slice(2);
// The full size and three smaller widths: the same four files pixlock's reprocess makes.
const widths = [2048, 1024, 640, 320];
await mkdir(output, { recursive: true });
for (const name of await readdir(input)) {
  const base = path.parse(name).name;
  await Promise.all(
    widths.map((width) =>
      sharp(path.join(input, name))
        .resize({ width })
        .webp()
        .toFile(path.join(output, `${base}-${width}.webp`)),
    ),
  );
}
