import { ALL_IMAGES_MODULE, IMAGE_MODULE_PREFIX, type ImageAsset } from '@pixlock/core';

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
 * The code of `pixlock:<id>`: everything a `<picture>` needs. Each file is imported with
 * `?url`, so Vite's asset pipeline serves it in dev and emits it with a hashed name under
 * `base` in a build; a build therefore holds the files of the images the app imports, and
 * no others. The top-level `src`, `srcset` and `format` are the fallback format's, as before
 * several formats existed.
 */
export function imageModuleCode(asset: ImageAsset, placeholder: string): string {
  const imports: string[] = [];
  const urls = new Map<string, string>();
  const urlOf = (file: string) => {
    let name = urls.get(file);
    if (name === undefined) {
      name = `url${urls.size}`;
      urls.set(file, name);
      imports.push(`import ${name} from ${JSON.stringify(`${file}?url`)};`);
    }
    return name;
  };
  const srcsets = asset.sources.map((source, i) => {
    const parts = source.candidates.map(
      (f) => `${urlOf(f.file)} + ${JSON.stringify(` ${f.width}w`)}`,
    );
    return `const srcset${i} = [${parts.join(', ')}].join(', ');`;
  });
  const fallback = asset.sources.length - 1;
  const src = urlOf(asset.main.file);
  const optional = (key: string, value: string | undefined) =>
    value === undefined ? [] : [`${key}: ${JSON.stringify(value)},`];
  const sources = asset.sources.map(
    (s, i) =>
      `    { format: ${JSON.stringify(s.format)}, type: ${JSON.stringify(s.mediaType)}, srcset: srcset${i} },`,
  );
  return [
    ...imports,
    ...srcsets,
    'export default {',
    `  id: ${JSON.stringify(asset.id)},`,
    `  src: ${src},`,
    `  width: ${asset.main.width},`,
    `  height: ${asset.main.height},`,
    `  srcset: srcset${fallback},`,
    `  format: ${JSON.stringify(asset.format)},`,
    `  placeholder: ${JSON.stringify(placeholder)},`,
    `  prompt: ${JSON.stringify(asset.prompt)},`,
    ...optional('  alt', asset.alt),
    ...optional('  sizes', asset.sizes),
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
