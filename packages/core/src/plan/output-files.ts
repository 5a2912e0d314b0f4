import { extensionForFormat } from '../assets/media-types.js';
import type { AspectRatio, Resolution } from '../manifest/schema.js';
import type { OutputOptions } from '../manifest/resolved-manifest.js';

const LONG_SIDE: Record<Resolution, number> = { '1k': 1024, '2k': 2048, '4k': 4096 };

/** Pixel size of an original: the long side from the resolution, the short from the ratio. */
export function originalSize(
  aspectRatio: AspectRatio,
  resolution: Resolution,
): { width: number; height: number } {
  const [w, h] = aspectRatio.split(':').map(Number) as [number, number];
  const long = LONG_SIDE[resolution];
  return w >= h
    ? { width: long, height: Math.round((long * h) / w) }
    : { width: Math.round((long * w) / h), height: long };
}

/** One file to make from an original. */
export interface OutputFileSpec {
  /** Relative to the manifest's folder, forward slashes. */
  path: string;
  /** Target width (undefined: keep the original's). */
  width?: number;
  height?: number;
}

/** The files an image's output options produce: the main file, then one per responsive width. */
export function outputFiles(outDir: string, id: string, output: OutputOptions): OutputFileSpec[] {
  const ext = extensionForFormat(output.format);
  const base = outDir === '.' ? id : `${outDir}/${id}`;
  const main: OutputFileSpec = { path: `${base}.${ext}` };
  if (output.width !== undefined) main.width = output.width;
  if (output.height !== undefined) main.height = output.height;
  const extra = (output.widths ?? []).map((width) => ({ path: `${base}-${width}.${ext}`, width }));
  return [main, ...extra];
}
