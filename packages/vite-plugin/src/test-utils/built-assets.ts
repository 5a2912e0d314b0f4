import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** One image file a build emitted and its code references. */
export interface BuiltImage {
  /** The URL as written in the JS, e.g. `/assets/hero-480-CJR0NvG-.webp`. */
  url: string;
  /** The name before Vite's hash, e.g. `hero-480`. */
  name: string;
  width: number;
  height: number;
}

/** The image URLs in a build's JS, each checked to exist on disk, with its pixel size. */
export async function builtImages(outDir: string, base = '/'): Promise<BuiltImage[]> {
  const assets = path.join(outDir, 'assets');
  const js = (await readdir(assets)).filter((f) => f.endsWith('.js'));
  const code = (await Promise.all(js.map((f) => readFile(path.join(assets, f), 'utf8')))).join();
  const urls = new Set(code.match(/[\w/.-]+\.(?:webp|avif|png|jpe?g)\b/g) ?? []);
  return Promise.all(
    [...urls].map(async (url) => {
      if (!url.startsWith(base)) throw new Error(`${url} is not under base ${base}`);
      const file = path.join(outDir, url.slice(base.length));
      const meta = await sharp(await readFile(file)).metadata();
      const hashed = /^(.+)-[\w-]{8}\.\w+$/.exec(path.basename(url));
      if (!hashed) throw new Error(`${url} has no content hash in its name`);
      return { url, name: hashed[1]!, width: meta.width, height: meta.height };
    }),
  );
}
