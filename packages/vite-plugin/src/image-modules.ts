import {
  ALL_IMAGES_MODULE,
  IMAGE_MODULE_PREFIX,
  type ImageAsset,
  type ImageAssetFile,
} from '@pixlock/core';

// Rollup's convention for virtual modules: a leading NUL keeps other plugins off them.
const VIRTUAL = '\0';

/** The resolved id of `virtual:pixlock`. */
export const ALL_IMAGES_ID = VIRTUAL + ALL_IMAGES_MODULE;

/** The resolved id of `pixlock:<id>`. */
export function imageModuleId(id: string): string {
  return VIRTUAL + IMAGE_MODULE_PREFIX + id;
}

/** What a resolved id asks for: one image, all of them, or nothing of ours. */
export type ImageModuleRequest = { kind: 'image'; id: string } | { kind: 'all' } | undefined;

/** resolveId: claims `pixlock:<id>` and `virtual:pixlock`. */
export function resolveImageModule(source: string): string | undefined {
  if (source === ALL_IMAGES_MODULE || source.startsWith(IMAGE_MODULE_PREFIX)) {
    return VIRTUAL + source;
  }
  return undefined;
}

/** load: which module a resolved id names. */
export function parseImageModule(resolved: string): ImageModuleRequest {
  if (!resolved.startsWith(VIRTUAL)) return undefined;
  // The dev server may add a query (`?t=` after an update); ids never contain `?`.
  const name = resolved.slice(VIRTUAL.length).split('?')[0]!;
  if (name === ALL_IMAGES_MODULE) return { kind: 'all' };
  if (name.startsWith(IMAGE_MODULE_PREFIX)) {
    return { kind: 'image', id: name.slice(IMAGE_MODULE_PREFIX.length) };
  }
  return undefined;
}

/**
 * How a module names one output file: a JS expression that evaluates to its URL. The build
 * gives Vite's placeholder for a file pixlock emitted itself, the dev server a plain URL;
 * either way the module imports no image file, so no other plugin's transform (vite-imagetools
 * re-encodes any image import with a query) ever sees one.
 */
export type UrlExpression = (file: ImageAssetFile) => string;

/**
 * The code of `pixlock:<id>`: everything a `<picture>` needs. Each file's URL comes from
 * `urlOf`, so a build holds the files of the images the app imports and no others. The
 * top-level `src`, `srcset` and `format` are the fallback format's, as before several formats
 * existed. Prompt, negative prompt, seed and task id appear only as the manifest exposes
 * them (`asset.exposed`): nothing private reaches the bundle otherwise.
 */
export function imageModuleCode(
  asset: ImageAsset,
  placeholder: string,
  urlOf: UrlExpression,
): string {
  const { exposed } = asset;
  const consts: string[] = [];
  const urls = new Map<string, string>();
  const url = (file: ImageAssetFile) => {
    let name = urls.get(file.file);
    if (name === undefined) {
      name = `url${urls.size}`;
      urls.set(file.file, name);
      consts.push(`const ${name} = ${urlOf(file)};`);
    }
    return name;
  };
  const srcsets = asset.sources.map((source, i) => {
    const parts = source.candidates.map((f) => `${url(f)} + ${JSON.stringify(` ${f.width}w`)}`);
    return `const srcset${i} = [${parts.join(', ')}].join(', ');`;
  });
  const fallback = asset.sources.length - 1;
  const src = url(asset.main);
  const optional = (key: string, value: string | number | undefined) =>
    value === undefined ? [] : [`${key}: ${JSON.stringify(value)},`];
  const sources = asset.sources.map(
    (s, i) =>
      `    { format: ${JSON.stringify(s.format)}, type: ${JSON.stringify(s.mediaType)}, srcset: srcset${i} },`,
  );
  return [
    ...consts,
    ...srcsets,
    'export default {',
    `  id: ${JSON.stringify(asset.id)},`,
    `  src: ${src},`,
    `  width: ${asset.main.width},`,
    `  height: ${asset.main.height},`,
    `  srcset: srcset${fallback},`,
    `  format: ${JSON.stringify(asset.format)},`,
    `  placeholder: ${JSON.stringify(placeholder)},`,
    ...optional('  alt', asset.alt),
    ...optional('  sizes', asset.sizes),
    ...optional('  prompt', exposed.prompt),
    ...optional('  negativePrompt', exposed.negativePrompt),
    ...optional('  seed', exposed.seed),
    ...optional('  taskId', exposed.taskId),
    '  sources: [',
    ...sources,
    '  ],',
    '  img: {',
    `    src: ${src},`,
    `    srcset: srcset${fallback},`,
    ...optional('    sizes', asset.sizes),
    `    width: ${asset.main.width},`,
    `    height: ${asset.main.height},`,
    '  },',
    '};',
    '',
  ].join('\n');
}

/** The code of `virtual:pixlock`: every image module, by id. */
export function allImagesModuleCode(ids: readonly string[]): string {
  const imports = ids.map(
    (id, i) => `import image${i} from ${JSON.stringify(IMAGE_MODULE_PREFIX + id)};`,
  );
  const entries = ids.map((id, i) => `  ${JSON.stringify(id)}: image${i},`);
  return [...imports, 'export default {', ...entries, '};', ''].join('\n');
}
