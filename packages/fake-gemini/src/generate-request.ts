import { createHash } from 'node:crypto';
import { googleError, invalidArgument } from './google-error.js';
import type { ImageSize, ModelSpec } from './models.js';
import { field, isRecord, unknownField } from './proto-json.js';
import type { Reply } from '@pixlock/fake-http-kit';

/** Reference images a prompt may carry (Google's figure for 3 Pro / 3.1 Flash Image). */
export const MAX_REFERENCES = 14;

/** One reference part as received: an inline image, or a file the request points to. */
export interface ReferenceInput {
  mimeType: string;
  /** sha256 (hex) of the decoded bytes, or of the `fileUri` for a file reference. */
  sha256: string;
  /** Decoded size in bytes (0 for a file reference). */
  size: number;
  fileUri?: string;
}

/** A generateContent body that passed validation, with the model's defaults applied. */
export interface GenerateInput {
  model: string;
  /** Every text part, joined with a newline: what stats and images are keyed by. */
  prompt: string;
  references: ReferenceInput[];
  aspectRatio: string;
  imageSize: ImageSize;
  seed: number | undefined;
  /** False when `responseModalities` was sent without IMAGE: the model answers text only. */
  wantsImage: boolean;
}

const TOP = [
  'contents',
  'generationConfig',
  'safetySettings',
  'systemInstruction',
  'tools',
  'toolConfig',
  'cachedContent',
  'model',
];
const CONFIG = [
  'responseModalities',
  'imageConfig',
  'seed',
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'responseMimeType',
  'thinkingConfig',
  'mediaResolution',
  'presencePenalty',
  'frequencyPenalty',
];
const IMAGE_CONFIG = ['aspectRatio', 'imageSize'];
const PART = ['text', 'inlineData', 'fileData', 'thought', 'thoughtSignature'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const SIGNATURES: [string, (b: Buffer) => boolean][] = [
  [
    'png',
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ['jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['webp', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
  ['heic', (b) => b.toString('latin1', 4, 8) === 'ftyp'],
];

type Parsed = { ok: true; input: GenerateInput } | { ok: false; reply: Reply };
const fail = (reply: Reply): Parsed => ({ ok: false, reply });

function parsePart(
  part: unknown,
  at: string,
  refs: ReferenceInput[],
  texts: string[],
): Reply | undefined {
  if (!isRecord(part)) return invalidArgument(at, 'a part must be an object');
  const stray = unknownField(part, PART, at);
  if (stray) return stray;
  const text = field(part, 'text');
  const inline = field(part, 'inlineData');
  const file = field(part, 'fileData');
  if (typeof text === 'string') texts.push(text);
  else if (isRecord(inline)) {
    const mimeType = field(inline, 'mimeType');
    const data = field(inline, 'data');
    if (typeof mimeType !== 'string' || typeof data !== 'string') {
      return invalidArgument(`${at}.inline_data`, 'mime_type and data are required');
    }
    if (!BASE64.test(data) || data.length % 4 === 1) {
      return invalidArgument(`${at}.inline_data.data`, 'Base64 decoding failed');
    }
    const bytes = Buffer.from(data, 'base64');
    if (mimeType.startsWith('image/') && !SIGNATURES.some(([, test]) => test(bytes))) {
      return googleError(
        400,
        'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
    }
    refs.push({
      mimeType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  } else if (isRecord(file)) {
    const uri = field(file, 'fileUri');
    if (typeof uri !== 'string') return invalidArgument(`${at}.file_data.file_uri`, 'required');
    const mimeType = String(field(file, 'mimeType') ?? '');
    refs.push({
      mimeType,
      size: 0,
      fileUri: uri,
      sha256: createHash('sha256').update(uri).digest('hex'),
    });
  } else if (field(part, 'thought') === undefined) {
    return invalidArgument(at, 'a part needs text, inline_data or file_data');
  }
  return undefined;
}

/**
 * Validates a generateContent body for `model` as the API would: unknown field names, bad
 * base64, a reference that is not an image, a size or ratio the model does not take are 400s.
 * Without `aspectRatio` the fake picks 1:1; without `imageSize`, the model's default.
 */
export function parseGenerateRequest(body: unknown, model: ModelSpec): Parsed {
  if (!isRecord(body)) return fail(invalidArgument('', 'the body must be a JSON object'));
  const stray = unknownField(body, TOP, '');
  if (stray) return fail(stray);
  const contents = field(body, 'contents');
  if (!Array.isArray(contents) || contents.length === 0) {
    return fail(googleError(400, '* GenerateContentRequest.contents: contents is not specified'));
  }
  const references: ReferenceInput[] = [];
  const texts: string[] = [];
  for (const [i, content] of contents.entries()) {
    const parts = isRecord(content) ? field(content, 'parts') : undefined;
    if (!Array.isArray(parts) || parts.length === 0) {
      return fail(
        googleError(
          400,
          `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`,
        ),
      );
    }
    for (const [j, part] of parts.entries()) {
      const problem = parsePart(part, `contents[${i}].parts[${j}]`, references, texts);
      if (problem) return fail(problem);
    }
  }
  if (references.length > MAX_REFERENCES) {
    return fail(invalidArgument('contents', `at most ${MAX_REFERENCES} images per prompt`));
  }
  const config = field(body, 'generationConfig') ?? {};
  if (!isRecord(config)) return fail(invalidArgument('generation_config', 'must be an object'));
  const strayConfig = unknownField(config, CONFIG, 'generation_config');
  if (strayConfig) return fail(strayConfig);
  const imageConfig = field(config, 'imageConfig') ?? {};
  if (!isRecord(imageConfig))
    return fail(invalidArgument('generation_config.image_config', 'must be an object'));
  const strayImage = unknownField(imageConfig, IMAGE_CONFIG, 'generation_config.image_config');
  if (strayImage) return fail(strayImage);

  const ratio = field(imageConfig, 'aspectRatio');
  if (ratio !== undefined && !model.aspectRatios.includes(ratio as string)) {
    return fail(
      invalidArgument(
        'generation_config.image_config.aspect_ratio',
        `${String(ratio)} is not supported by ${model.id}`,
      ),
    );
  }
  const size = field(imageConfig, 'imageSize');
  if (size !== undefined && !model.imageSizes.includes(size as ImageSize)) {
    return fail(
      invalidArgument(
        'generation_config.image_config.image_size',
        `${String(size)} is not supported by ${model.id}; use one of ${model.imageSizes.join(', ')}`,
      ),
    );
  }
  const seed = field(config, 'seed');
  if (seed !== undefined && !(Number.isInteger(seed) && Math.abs(seed as number) <= 2 ** 31)) {
    return fail(invalidArgument('generation_config.seed', 'must be a 32-bit integer'));
  }
  const modalities = field(config, 'responseModalities');
  if (modalities !== undefined && !Array.isArray(modalities)) {
    return fail(invalidArgument('generation_config.response_modalities', 'must be a list'));
  }
  return {
    ok: true,
    input: {
      model: model.id,
      prompt: texts.join('\n'),
      references,
      aspectRatio: (ratio as string | undefined) ?? '1:1',
      imageSize: (size as ImageSize | undefined) ?? (model.imageSizes[0] as ImageSize),
      seed: seed as number | undefined,
      wantsImage: modalities === undefined || (modalities as unknown[]).includes('IMAGE'),
    },
  };
}
