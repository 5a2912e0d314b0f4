import path from 'node:path';
import { PixlockError } from '../errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../manifest/schema.js';
import type { Project } from '../project/load-project.js';
import { closestName } from '../util/closest-name.js';
import { formatForFile } from './media-types.js';

/** One output file of an image, as an adapter serves or emits it. */
export interface ImageAssetFile {
  /** Absolute path on disk. */
  file: string;
  width: number;
  height: number;
  /** Content hash from the lock: a cache key and a cache-buster. */
  sha256: string;
}

/** Everything an adapter needs to expose one generated image. */
export interface ImageAsset {
  id: string;
  prompt: string;
  format: OutputFormat;
  /** The main output file: what `src` points at. */
  main: ImageAssetFile;
  /** One file per distinct width, narrowest first: the `srcset` candidates, main included. */
  candidates: ImageAssetFile[];
}

/** The output format a locked file's name says; the lock, not the manifest, is what is on disk. */
function formatOfFile(file: string): OutputFormat | undefined {
  const format = formatForFile(file);
  return OUTPUT_FORMATS.find((f) => f === format);
}

/**
 * Describes a generated image from the lock, not the manifest: the lock says what is on disk,
 * so a build never points at a file that an edit to the manifest has not produced yet.
 * Throws a PixlockError (`USAGE`) naming the closest id for a typo, or the command to run
 * when the image is in the manifest but not generated. `USAGE`, not `INTERNAL`: the id comes
 * from the user's own import (`pixlock:image/<id>`), so a wrong one is theirs to fix.
 */
export function describeImage(project: Project, id: string): ImageAsset {
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
  const [first, ...rest] = entry?.output.files ?? [];
  if (!entry || !first) {
    throw new PixlockError(
      'USAGE',
      `image "${id}" is not generated yet: run pixlock generate --config ${manifest.file}`,
    );
  }
  const toAsset = (f: typeof first): ImageAssetFile => ({
    file: path.join(manifest.dir, f.path),
    width: f.width,
    height: f.height,
    sha256: f.sha256,
  });
  const main = toAsset(first);
  const byWidth = new Map<number, ImageAssetFile>();
  // The main file wins a tie: it is the one `src` names, so the browser reuses it.
  for (const f of [main, ...rest.map(toAsset)]) if (!byWidth.has(f.width)) byWidth.set(f.width, f);
  return {
    id,
    prompt: image.prompt,
    format: formatOfFile(first.path) ?? image.output.format,
    main,
    candidates: [...byWidth.values()].sort((a, b) => a.width - b.width),
  };
}
