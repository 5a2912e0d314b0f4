// What a user without the store writes to remake a site's images on a fresh CI runner: every
// original in a folder to AVIF and WebP at three widths with sharp, no pixlock code. As many
// images at once as there are cores (sharp runs one libvips thread per image), AVIF at the
// effort pixlock uses (2; sharp's default of 4 would be a handicap: 10x slower).
// Usage: node bench/sharp-encode-baseline.mjs <originals dir> <output dir>
import { mkdir, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const [input, output] = process.argv.slice(2);
const widths = [320, 640, 960];
await mkdir(output, { recursive: true });
// Image files only (the folder also holds pixlock's .gitignore).
const names = (await readdir(input)).filter((n) => /\.(png|jpe?g|webp)$/i.test(n));
let next = 0;
async function worker() {
  while (next < names.length) {
    const name = names[next++];
    const base = path.parse(name).name;
    await Promise.all(
      widths.flatMap((width) => [
        sharp(path.join(input, name))
          .resize({ width })
          .avif({ effort: 2 })
          .toFile(path.join(output, `${base}-${width}.avif`)),
        sharp(path.join(input, name))
          .resize({ width })
          .webp()
          .toFile(path.join(output, `${base}-${width}.webp`)),
      ]),
    );
  }
}
await Promise.all(Array.from({ length: availableParallelism() }, worker));
