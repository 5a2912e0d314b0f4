import { extensionForFormat } from '../media-types.js';
import type { AspectRatio, OutputFormat, Resolution } from './schema.js';
import type { OutputOptions } from './resolved-manifest.js';

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
  format: OutputFormat;
  /** Target width (undefined: keep the original's), already clamped to the original. */
  width?: number;
  height?: number;
}

/** Pixel size of an original, known (from the lock or a decode) or expected (from the manifest). */
export interface PixelSize {
  width: number;
  height: number;
}

/** Every format an image is written in, in order of preference. */
export function outputFormats(output: OutputOptions): OutputFormat[] {
  return output.formats ?? [output.format];
}

/**
 * Whether the full-size `<id>.<ext>` is written. Always without `widths` (it is then the one
 * output); with `widths` only when asked (`full: true`), except for manifests that name one
 * `format`, which have always had it and keep it unless `full: false`.
 */
export function writesFullSize(output: OutputOptions): boolean {
  if (output.widths === undefined) return true;
  return output.full ?? output.formats === undefined;
}

/**
 * The responsive widths to make from an original `originalWidth` wide: without
 * `allowUpscale`, widths above it are dropped and the original's own width takes their place
 * (once), so no file is blown up and no two files are the same.
 */
export function responsiveWidths(output: OutputOptions, originalWidth?: number): number[] {
  const widths = output.widths ?? [];
  if (output.allowUpscale || originalWidth === undefined) return widths;
  const kept = widths.filter((w) => w <= originalWidth);
  if (kept.length < widths.length && !kept.includes(originalWidth)) kept.push(originalWidth);
  return kept;
}

/**
 * The main file's target box: without `allowUpscale`, scaled down as a whole (keeping the
 * box's proportions, so a cover crop keeps its shape) until it fits in the original.
 */
export function mainBox(
  output: OutputOptions,
  original?: PixelSize,
): { width?: number; height?: number } {
  const { width, height } = output;
  if (output.allowUpscale || !original) return { width, height };
  const scale = Math.min(
    1,
    width === undefined ? 1 : original.width / width,
    height === undefined ? 1 : original.height / height,
  );
  return {
    width: width === undefined ? undefined : Math.max(1, Math.round(width * scale)),
    height: height === undefined ? undefined : Math.max(1, Math.round(height * scale)),
  };
}

/** The sizes really made from an original of this size: `output` with its sizes clamped. */
export function clampedOutput(output: OutputOptions, original: PixelSize): OutputOptions {
  if (output.allowUpscale) return output;
  const clamped: OutputOptions = { ...output };
  const box = mainBox(output, original);
  if (box.width !== undefined) clamped.width = box.width;
  if (box.height !== undefined) clamped.height = box.height;
  if (output.widths !== undefined) clamped.widths = responsiveWidths(output, original.width);
  return clamped;
}

/** What clamping to the original changes, in words for the plan; undefined when nothing. */
export function clampNote(output: OutputOptions, original: PixelSize): string | undefined {
  if (output.allowUpscale) return undefined;
  const over = (output.widths ?? []).filter((w) => w > original.width);
  const box = mainBox(output, original);
  const parts: string[] = [];
  if (over.length > 0) parts.push(`widths ${over.join(', ')}`);
  if (box.width !== output.width || box.height !== output.height)
    parts.push(`size ${output.width ?? 'auto'}×${output.height ?? 'auto'}`);
  if (parts.length === 0) return undefined;
  return `${parts.join(' and ')} clamped to the original's ${original.width}×${original.height} (allowUpscale: true to enlarge)`;
}

/**
 * The files an image's output options produce, format by format in order of preference:
 * the full-size file (when written), then one per responsive width. `original` is the
 * original's pixel size, for clamping; without it nothing is clamped.
 */
export function outputFiles(
  outDir: string,
  id: string,
  output: OutputOptions,
  original?: PixelSize,
): OutputFileSpec[] {
  const base = outDir === '.' ? id : `${outDir}/${id}`;
  const full = writesFullSize(output);
  const box = full ? mainBox(output, original) : {};
  const widths = responsiveWidths(output, original?.width);
  const files: OutputFileSpec[] = [];
  for (const format of outputFormats(output)) {
    const ext = extensionForFormat(format);
    if (full) {
      const main: OutputFileSpec = { path: `${base}.${ext}`, format };
      if (box.width !== undefined) main.width = box.width;
      if (box.height !== undefined) main.height = box.height;
      files.push(main);
    }
    for (const width of widths) files.push({ path: `${base}-${width}.${ext}`, format, width });
  }
  return files;
}
