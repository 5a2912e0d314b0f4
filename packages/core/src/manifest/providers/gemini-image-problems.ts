import type { Diagnostic } from '../../errors.js';
import { mediaTypeOfName } from '../image-magic.js';
import type { ImageInput } from '../schema.js';
import {
  geminiModel,
  GEMINI_DEFAULT_MODEL,
  GEMINI_MODELS,
  type GeminiModel,
} from './gemini-models.js';
import type { Locate, ProviderCheckInput } from './provider-check-input.js';

// What resolve-manifest.ts gives an image that sets neither the field nor a default.
const IMPLICIT = { resolution: '2k', aspectRatio: '3:4' } as const;
/** Reference formats the Gemini API takes inline (docs/gemini-api.md). */
const TAKES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

/**
 * What a Gemini model cannot draw as the manifest asks, each at the line that asks: a retired
 * model id, a resolution or aspect ratio the model lacks (at the image's own value, else once
 * at the default's, else once at `provider.model` when only pixlock's implicit default asks),
 * more references than the model takes, and a local reference in a format the API refuses
 * (GIF). A model pixlock does not know is checked for the format only: the API decides.
 */
export function geminiImageProblems(
  input: ProviderCheckInput,
  locate: Locate,
  models: readonly GeminiModel[] = GEMINI_MODELS,
): Diagnostic[] {
  const { main, mainFile, sources } = input;
  if (main.provider.name !== 'gemini') return [];
  const id = main.provider.model ?? GEMINI_DEFAULT_MODEL;
  const model = geminiModel(id, models);
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const at = (file: string, path: (string | number)[], message: string) => {
    const key = `${file}\0${path.join('\0')}`;
    if (reported.has(key)) return;
    reported.add(key);
    const { line, column } = locate(file, path);
    out.push({ file, path, line, column, message });
  };
  const modelPath = main.provider.model === undefined ? ['provider'] : ['provider', 'model'];
  if (model?.retired) {
    at(
      mainFile,
      modelPath,
      `gemini model ${id} was shut down on ${model.retired.on}; use ${model.retired.use}`,
    );
    return out;
  }
  const defaults = main.defaults ?? {};
  const where = (file: string, imageId: string, image: ImageInput, field: keyof ImageInput) =>
    image[field] !== undefined
      ? { file, path: ['images', imageId, field] }
      : defaults[field as keyof typeof defaults] !== undefined
        ? { file: mainFile, path: ['defaults', field] }
        : { file: mainFile, path: modelPath, implicit: true };

  for (const { file, images } of sources) {
    for (const [imageId, image] of Object.entries(images)) {
      if (model) {
        const resolution = image.resolution ?? defaults.resolution ?? IMPLICIT.resolution;
        if (!model.resolutions.includes(resolution)) {
          const w = where(file, imageId, image, 'resolution');
          const implicit = 'implicit' in w ? ' (the default when no resolution is set)' : '';
          at(
            w.file,
            w.path,
            `resolution ${resolution}${implicit}: gemini model ${id} draws ${model.resolutions.join(', ')} only; set resolution: ${model.resolutions[0]} or choose another model`,
          );
        }
        const ratio = image.aspectRatio ?? defaults.aspectRatio ?? IMPLICIT.aspectRatio;
        if (!model.aspectRatios.includes(ratio)) {
          const w = where(file, imageId, image, 'aspectRatio');
          at(
            w.file,
            w.path,
            `aspect ratio ${ratio}: gemini model ${id} takes ${model.aspectRatios.join(', ')}`,
          );
        }
        const refs = image.references ?? defaults.references ?? [];
        if (model.maxReferences !== undefined && refs.length > model.maxReferences) {
          const w = where(file, imageId, image, 'references');
          at(
            w.file,
            w.path,
            `${refs.length} references: gemini model ${id} takes at most ${model.maxReferences} per image`,
          );
        }
      }
      (image.references ?? []).forEach((ref, i) => {
        const problem = typeof ref === 'string' ? formatProblem(ref) : undefined;
        if (problem) at(file, ['images', imageId, 'references', i], problem);
      });
    }
  }
  (defaults.references ?? []).forEach((ref, i) => {
    const problem = typeof ref === 'string' ? formatProblem(ref) : undefined;
    if (problem) at(mainFile, ['defaults', 'references', i], problem);
  });
  return out;
}

/** A local reference the API cannot take as it is (it is sent as its bytes, not converted). */
function formatProblem(ref: string): string | undefined {
  // A URL's format is known only once fetched (the provider checks it then); plan/ owns
  // isUrlReference, and the manifest does not import upward for one regex.
  if (/^https?:\/\//i.test(ref)) return undefined;
  const type = mediaTypeOfName(ref);
  if (type === undefined || TAKES.has(type)) return undefined;
  return `reference "${ref}" is ${type}: the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF references; convert it (e.g. to PNG)`;
}
