import { ASPECT_RATIOS, RESOLUTIONS } from './options.js';
import type { AspectRatio, Resolution } from './options.js';

/** The only model the fake (and the seed page) knows. */
export const MODEL = 'nanobanana2';

/** The provider's examples cap reference images at 9. */
const MAX_REFERENCES = 9;

/** A createTask body that passed validation, with defaults applied. */
export interface CreateTaskInput {
  model: typeof MODEL;
  prompt: string;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  /** As received under `inputs.imageUrls` (the seed page's name), if sent. */
  imageUrls?: string[];
  /** As received under `inputs.uploadedUrls` (the provider's current examples' name), if sent. */
  uploadedUrls?: string[];
  negativePrompt?: string;
  seed?: number;
  /** `inputs` exactly as received, including keys the API silently ignores. */
  rawInputs: Record<string, unknown>;
}

/** One entry of a 400 answer's `errors`. */
export interface ValidationError {
  field: string;
  message: string;
}

/** Either the validated input or the list of problems for a 400 answer. */
export type ParseResult =
  { ok: true; input: CreateTaskInput } | { ok: false; errors: ValidationError[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function urlList(value: unknown, field: string, errors: ValidationError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((u) => typeof u === 'string')) {
    errors.push({ field, message: `${field} must be an array of URL strings` });
    return undefined;
  }
  if (value.length > MAX_REFERENCES) {
    errors.push({ field, message: `${field} accepts at most ${MAX_REFERENCES} URLs` });
  }
  return [...(value as string[])];
}

/** Validates a parsed createTask body like the real API; unknown `inputs` keys are ignored. */
export function parseCreateTaskRequest(body: unknown, opts: { reject1k: boolean }): ParseResult {
  const errors: ValidationError[] = [];
  if (!isRecord(body)) {
    return { ok: false, errors: [{ field: 'body', message: 'body must be a JSON object' }] };
  }
  if (body.model !== MODEL) {
    errors.push({ field: 'model', message: `model must be "${MODEL}"` });
  }
  if (!isRecord(body.inputs)) {
    errors.push({ field: 'inputs', message: 'inputs must be an object' });
    return { ok: false, errors };
  }
  const inputs = body.inputs;
  const { prompt, aspectRatio = '3:4', resolution = '2k', negativePrompt, seed } = inputs;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    errors.push({ field: 'inputs.prompt', message: 'prompt is required' });
  }
  if (!ASPECT_RATIOS.includes(aspectRatio as AspectRatio)) {
    errors.push({
      field: 'inputs.aspectRatio',
      message: `aspectRatio must be one of ${ASPECT_RATIOS.join(', ')}`,
    });
  }
  const allowed: readonly Resolution[] = opts.reject1k
    ? RESOLUTIONS.filter((r) => r !== '1k')
    : RESOLUTIONS;
  if (!allowed.includes(resolution as Resolution)) {
    errors.push({
      field: 'inputs.resolution',
      message: `resolution must be one of ${allowed.join(', ')}`,
    });
  }
  if (negativePrompt !== undefined && typeof negativePrompt !== 'string') {
    errors.push({ field: 'inputs.negativePrompt', message: 'negativePrompt must be a string' });
  }
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    errors.push({ field: 'inputs.seed', message: 'seed must be a number' });
  }
  const imageUrls = urlList(inputs.imageUrls, 'inputs.imageUrls', errors);
  const uploadedUrls = urlList(inputs.uploadedUrls, 'inputs.uploadedUrls', errors);
  if (errors.length > 0) return { ok: false, errors };

  const input: CreateTaskInput = {
    model: MODEL,
    prompt: prompt as string,
    aspectRatio: aspectRatio as AspectRatio,
    resolution: resolution as Resolution,
    rawInputs: structuredClone(inputs),
  };
  if (imageUrls) input.imageUrls = imageUrls;
  if (uploadedUrls) input.uploadedUrls = uploadedUrls;
  if (negativePrompt !== undefined) input.negativePrompt = negativePrompt as string;
  if (seed !== undefined) input.seed = seed as number;
  return { ok: true, input };
}
