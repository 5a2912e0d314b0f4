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
 * The code of `pixlock:<id>`. Each file is imported with `?url`, so Vite's asset pipeline
 * serves it in dev and emits it with a hashed name under `base` in a build.
 */
export function imageModuleCode(asset: ImageAsset, placeholder: string): string {
  const imports = asset.candidates.map(
    (f, i) => `import url${i} from ${JSON.stringify(`${f.file}?url`)};`,
  );
  const mainIndex = asset.candidates.findIndex((f) => f.file === asset.main.file);
  const srcset = asset.candidates.map((f, i) => `url${i} + ${JSON.stringify(` ${f.width}w`)}`);
  return [
    ...imports,
    'export default {',
    `  id: ${JSON.stringify(asset.id)},`,
    `  src: url${mainIndex},`,
    `  width: ${asset.main.width},`,
    `  height: ${asset.main.height},`,
    `  srcset: [${srcset.join(', ')}].join(', '),`,
    `  format: ${JSON.stringify(asset.format)},`,
    `  placeholder: ${JSON.stringify(placeholder)},`,
    `  prompt: ${JSON.stringify(asset.prompt)},`,
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
