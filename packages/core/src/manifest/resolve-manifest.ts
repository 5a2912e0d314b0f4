import path from 'node:path';
import type { ImageInput, IncludedManifestInput, ManifestInput, OutputInput } from './schema.js';
import { resolveProviderSettings } from './providers/provider-settings.js';
import { resolveStore } from './store-schema.js';
import type { OutputOptions, ResolvedImage, ResolvedManifest } from './resolved-manifest.js';

/** An id declared in more than one file. */
export interface DuplicateId {
  id: string;
  files: string[];
}

/**
 * Merges the main manifest, its included files and the defaults into one sorted list of
 * images. Pure: file reading and globbing happen before.
 */
export function resolveManifest(
  main: { file: string; dir: string; value: ManifestInput },
  included: { file: string; value: IncludedManifestInput }[],
): { manifest: ResolvedManifest; duplicates: DuplicateId[] } {
  const m = main.value;
  const defaults = m.defaults ?? {};
  const byId = new Map<string, ResolvedImage>();
  const seenIn = new Map<string, string[]>();
  const sources = [
    { file: main.file, images: m.images ?? {} },
    ...included.map((f) => ({ file: f.file, images: f.value.images })),
  ];
  for (const source of sources) {
    for (const [id, image] of Object.entries(source.images)) {
      const files = seenIn.get(id) ?? [];
      files.push(source.file);
      seenIn.set(id, files);
      if (!byId.has(id)) byId.set(id, resolveImage(id, image, defaults, source.file));
    }
  }
  const duplicates = [...seenIn]
    .filter(([, files]) => files.length > 1)
    .map(([id, files]) => ({ id, files }));
  const images = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const manifest: ResolvedManifest = {
    file: main.file,
    dir: main.dir,
    outDir: normalizeOutDir(m.outDir ?? 'generated', main.dir),
    provider: resolveProviderSettings(m.provider),
    concurrency: m.concurrency ?? 4,
    ...(m.budget !== undefined && { budget: m.budget }),
    ...(m.store !== undefined && { store: resolveStore(m.store) }),
    images,
    files: sources.map((s) => s.file),
  };
  return { manifest, duplicates };
}

function resolveImage(
  id: string,
  image: ImageInput,
  defaults: NonNullable<ManifestInput['defaults']>,
  sourceFile: string,
): ResolvedImage {
  const negativePrompt = image.negativePrompt ?? defaults.negativePrompt;
  const written = image.references ?? defaults.references ?? [];
  const references: string[] = [];
  const imageReferences: string[] = [];
  for (const ref of written) {
    if (typeof ref === 'string') references.push(ref);
    else if (!imageReferences.includes(ref.image)) imageReferences.push(ref.image);
  }
  const variants = image.variants ?? defaults.variants ?? 1;
  const expose = image.expose ?? defaults.expose ?? [];
  return {
    id,
    prompt: image.prompt,
    ...(image.alt !== undefined && { alt: image.alt }),
    ...(image.seed !== undefined && { seed: image.seed }),
    aspectRatio: image.aspectRatio ?? defaults.aspectRatio ?? '3:4',
    resolution: image.resolution ?? defaults.resolution ?? '2k',
    ...(negativePrompt !== undefined && negativePrompt !== '' && { negativePrompt }),
    references,
    imageReferences,
    output: mergeOutput(defaults.output, image.output),
    ...(variants > 1 && { variants }),
    ...(expose.length > 0 && { expose: [...new Set(expose)] }),
    sourceFile,
  };
}

/**
 * The image's own sizing replaces the defaults' sizing as a whole, so width and widths never
 * clash; likewise its `format` or `formats` replaces both of the defaults'. Options that did
 * not exist before `formats` are set only when written, so older manifests hash as before.
 */
function mergeOutput(defaults: OutputInput = {}, own: OutputInput = {}): OutputOptions {
  const ownSizes = own.width !== undefined || own.height !== undefined || own.widths !== undefined;
  const sizes = ownSizes ? own : defaults;
  const ownFormat = own.format !== undefined || own.formats !== undefined;
  const formats = ownFormat ? own : defaults;
  const out: OutputOptions = {
    format: formats.formats?.[0] ?? formats.format ?? 'webp',
    fit: own.fit ?? defaults.fit ?? 'cover',
  };
  if (formats.formats !== undefined) out.formats = [...formats.formats];
  const quality = own.quality ?? defaults.quality;
  if (quality !== undefined) out.quality = quality;
  if (sizes.width !== undefined) out.width = sizes.width;
  if (sizes.height !== undefined) out.height = sizes.height;
  if (sizes.widths !== undefined) out.widths = [...new Set(sizes.widths)].sort((a, b) => a - b);
  for (const key of ['full', 'allowUpscale', 'position', 'background', 'sizes'] as const) {
    const value = own[key] ?? defaults[key];
    if (value !== undefined) (out as Record<typeof key, unknown>)[key] = value;
  }
  for (const key of ['avif', 'webp', 'jpeg', 'png'] as const) {
    const merged = { ...defaults[key], ...own[key] };
    if (Object.keys(merged).length > 0) out[key] = merged;
  }
  return out;
}

/**
 * One spelling of outDir: relative, forward slashes, no `.`/`..` segments or trailing slash.
 * The store and the lock compare output paths as strings, so `./generated`, `gen/../gen` or
 * an absolute folder inside the project (all accepted by load-manifest.ts) would otherwise
 * make every output path look unsafe, after the image was paid for.
 */
function normalizeOutDir(outDir: string, dir: string): string {
  const posix = outDir.replace(/\\/g, '/');
  const rel = path.posix.isAbsolute(posix)
    ? path.posix.relative(dir.split(path.sep).join('/'), posix)
    : path.posix.normalize(posix);
  return rel.replace(/\/+$/, '') || '.';
}
