import path from 'node:path';
import { PixlockError } from '../errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../manifest/schema.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { closestName } from '../util/closest-name.js';
import { extensionForFormat, formatForFile, mediaTypeForSharpFormat } from '../media-types.js';

/** One output file of an image, as an adapter serves or emits it. */
export interface ImageAssetFile {
  /** Absolute path on disk. */
  file: string;
  width: number;
  height: number;
  /** Content hash from the lock: a cache key and a cache-buster. */
  sha256: string;
}

/** One format of an image: the `<source>` of a `<picture>`. */
export interface ImageAssetSource {
  format: OutputFormat;
  /** e.g. `image/avif`: the `type` of a `<source>`. */
  mediaType: string;
  /** The full-size file when there is one, else the widest. */
  main: ImageAssetFile;
  /** One file per distinct width, narrowest first: the `srcset` candidates. */
  candidates: ImageAssetFile[];
}

/**
 * The generation fields an image's manifest entry lists under `expose`, and only those: what
 * an adapter may put in an app's bundle. Seed and task id are the lock's, of the chosen
 * candidate when there are several.
 */
export interface ExposedGeneration {
  prompt?: string;
  negativePrompt?: string;
  seed?: number;
  taskId?: string;
}

/** Everything an adapter needs to expose one generated image. */
export interface ImageAsset {
  id: string;
  /** What `expose` lets ship; empty unless the manifest opts in, field by field. */
  exposed: ExposedGeneration;
  /** Alt text from the manifest, if it has some. */
  alt?: string;
  /** The `sizes` attribute from the manifest, if it has one. */
  sizes?: string;
  /** The fallback format: the last in order of preference, what `<img>` names. */
  format: OutputFormat;
  /** The fallback's main file: what `src` points at. */
  main: ImageAssetFile;
  /** The fallback's files, one per distinct width, narrowest first. */
  candidates: ImageAssetFile[];
  /** Every format, in order of preference (the fallback last). */
  sources: ImageAssetSource[];
}

/** The output format a locked file's name says; the lock, not the manifest, is what is on disk. */
function formatOfFile(file: string): OutputFormat | undefined {
  const format = formatForFile(file);
  return OUTPUT_FORMATS.find((f) => f === format);
}

/**
 * Describes a generated image from the lock, not the manifest: the lock says what is on disk,
 * so a build never points at a file that an edit to the manifest has not produced yet (only
 * alt, sizes and the exposed prompts, which name no file, come from the manifest).
 * Throws a PixlockError (`USAGE`) naming the closest id for a typo, or the command to run
 * when the image is in the manifest but not generated. `USAGE`, not `INTERNAL`: the id comes
 * from the user's own import (`pixlock:image/<id>`), so a wrong one is theirs to fix.
 */
export function describeImage(
  project: { manifest: ResolvedManifest; lock: Lockfile },
  id: string,
): ImageAsset {
  const { manifest, lock } = project;
  const image = manifest.images.find((i) => i.id === id);
  if (!image) {
    const hint = closestName(
      id,
      manifest.images.map((i) => i.id),
    );
    throw new PixlockError(
      'USAGE',
      `no image "${id}" in ${path.basename(manifest.file)}${hint ? `; did you mean "${hint}"?` : ''}`,
    );
  }
  const entry = lock.images[id];
  if (!entry || entry.output.files.length === 0) {
    throw new PixlockError(
      'USAGE',
      `image "${id}" is not generated yet: run pixlock generate --config ${manifest.file}`,
    );
  }
  const base = manifest.outDir === '.' ? id : `${manifest.outDir}/${id}`;
  // Files by format, in the order the lock lists them (the order of preference).
  const byFormat = new Map<OutputFormat, typeof entry.output.files>();
  for (const f of entry.output.files) {
    const format = formatOfFile(f.path) ?? image.output.format;
    byFormat.set(format, [...(byFormat.get(format) ?? []), f]);
  }
  const sources = [...byFormat].map(([format, files]): ImageAssetSource => {
    const assets = files.map((f) => ({
      file: path.join(manifest.dir, f.path),
      width: f.width,
      height: f.height,
      sha256: f.sha256,
      full: f.path === `${base}.${extensionForFormat(format)}`,
    }));
    const widest = assets.reduce((a, b) => (b.width > a.width ? b : a));
    const main = assets.find((a) => a.full) ?? widest;
    const byWidth = new Map<number, ImageAssetFile>();
    // The main file wins a tie: it is the one `src` names, so the browser reuses it.
    for (const f of [main, ...assets]) if (!byWidth.has(f.width)) byWidth.set(f.width, f);
    const strip = ({ file, width, height, sha256 }: ImageAssetFile): ImageAssetFile => ({
      file,
      width,
      height,
      sha256,
    });
    return {
      format,
      mediaType: mediaTypeForSharpFormat(format) ?? 'application/octet-stream',
      main: strip(main),
      candidates: [...byWidth.values()].sort((a, b) => a.width - b.width).map(strip),
    };
  });
  const fallback = sources[sources.length - 1]!;
  const listed = new Set(image.expose ?? []);
  const exposed: ExposedGeneration = {
    ...(listed.has('prompt') && { prompt: image.prompt }),
    ...(listed.has('negativePrompt') &&
      image.negativePrompt !== undefined && { negativePrompt: image.negativePrompt }),
    // The seed the shipped image was drawn with: the chosen candidate's, with variants.
    ...(listed.has('seed') && {
      seed: entry.candidates?.[(entry.chosen ?? 1) - 1]?.seed ?? entry.seed,
    }),
    ...(listed.has('taskId') && { taskId: entry.taskId }),
  };
  return {
    id,
    exposed,
    ...(image.alt !== undefined && { alt: image.alt }),
    ...(image.output.sizes !== undefined && { sizes: image.output.sizes }),
    format: fallback.format,
    main: fallback.main,
    candidates: fallback.candidates,
    sources,
  };
}
