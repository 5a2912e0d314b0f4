import { z } from 'zod';
import { IMAGE_ID_PATTERN } from '../image-id.js';
import type { FITS, OUTPUT_FORMATS, POSITIONS } from './output-schema.js';
import { outputSchema } from './output-schema.js';
import { providerSettingsSchema } from './providers/provider-settings.js';
import { referenceSyntaxProblem } from './reference-syntax-problem.js';
import { storeSchema } from './store-schema.js';

export { encoderSchemas, FITS, OUTPUT_FORMATS, outputSchema, POSITIONS } from './output-schema.js';
export { PROVIDER_NAMES, type ProviderName } from './providers/provider-settings.js';
import { ASPECT_RATIOS, RESOLUTIONS } from './generation-values.js';

export {
  ASPECT_RATIOS,
  RESOLUTIONS,
  type AspectRatio,
  type Resolution,
} from './generation-values.js';
/**
 * Fields of an image's generation an app's import may carry into its bundle, each only when
 * the manifest lists it under `expose`: prompts often name product plans or clients.
 */
export const EXPOSABLE_FIELDS = ['prompt', 'negativePrompt', 'seed', 'taskId'] as const;

const aspectRatio = z.enum(ASPECT_RATIOS).describe('Aspect ratio of the generated original.');
const resolution = z
  .enum(RESOLUTIONS)
  .describe('1k, 2k or 4k: 1024, 2048 or 4096 px on the long side.');

const fileOrUrlReference = z
  .string()
  .min(1)
  .superRefine((ref, ctx) => {
    const problem = referenceSyntaxProblem(ref);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A reference to another image of the manifest: its original is sent, and a change to it cascades. */
export const imageReferenceSchema = z
  .strictObject({
    image: z
      .string()
      .min(1)
      .meta({ pattern: IMAGE_ID_PATTERN })
      .describe('Id of another image of the manifest (any included file).'),
  })
  .describe('Another image of the manifest, used as a reference once it is generated.');

const references = z
  .array(fileOrUrlReference)
  .max(9)
  .describe('Reference images: https URLs, or paths relative to the manifest file.');

// An image may also name other images; the defaults may not (every image, the named one
// included, would then reference it).
const imageReferences = z
  .array(z.union([fileOrUrlReference, imageReferenceSchema]))
  .max(9)
  .describe(
    'Reference images (at most 9): https URLs, paths relative to the manifest file, or { image: <id> } for another image of the manifest.',
  );

// Every image, the named one included, would reference it: said plainly rather than as a type
// mismatch.
const defaultsReferences = imageReferences.superRefine((refs, ctx) => {
  refs.forEach((ref, i) => {
    if (typeof ref !== 'string')
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `{ image: ${ref.image} } belongs in an image's references, not in defaults (every image, ${ref.image} included, would reference it)`,
      });
  });
});

// Not a generation input: it changes what an import carries, never a file or the lock.
const expose = z
  .array(z.enum(EXPOSABLE_FIELDS))
  .max(EXPOSABLE_FIELDS.length)
  .describe(
    'Fields of the generation the Vite import carries into the app bundle: prompt, negativePrompt, seed, taskId. Default none: nothing private ships unless listed here.',
  );

const generationFields = {
  aspectRatio: aspectRatio.optional(),
  resolution: resolution.optional(),
  negativePrompt: z.string().optional().describe('What to exclude from the image.'),
  references: references.optional(),
  output: outputSchema.optional(),
  variants: z
    .int()
    .min(1)
    .max(8)
    .optional()
    .describe(
      'Candidates to generate (1-8, default 1); outputs are made from the chosen one (pixlock pick).',
    ),
};

/** One image of the manifest. */
export const imageSchema = z.strictObject({
  prompt: z.string().min(1).describe('What to draw.'),
  alt: z.string().max(1000).optional().describe('Alt text, passed through to the import.'),
  seed: z
    .int()
    .min(0)
    .max(4294967295)
    .optional()
    .describe('Random seed; when omitted, one is chosen once and pinned in the lock.'),
  ...generationFields,
  references: imageReferences.optional(),
  expose: expose.optional(),
});

/** Settings merged under every image. */
export const defaultsSchema = z.strictObject({
  ...generationFields,
  references: defaultsReferences.optional(),
  expose: expose.optional(),
});

// Ids are checked by checkImageId (better messages, and the entry's own fields are still
// validated); the JSON Schema gets the id pattern as propertyNames.
const images = z
  .record(z.string().meta({ pattern: IMAGE_ID_PATTERN }), imageSchema)
  .describe('The images, by id. Ids are lowercase; "/" makes folders.');

/** The main manifest file, `pixlock.yaml`. */
export const manifestSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).describe('Manifest format version.'),
  provider: providerSettingsSchema,
  outDir: z.string().min(1).optional().describe('Where outputs go, relative to this file.'),
  concurrency: z.int().min(1).max(64).optional().describe('Provider tasks in flight at once.'),
  budget: z
    .number()
    .min(0)
    .optional()
    .describe(
      "Most one run may spend, in the provider's unit: kinovi credits, or dollars for a provider billed in dollars.",
    ),
  include: z
    .array(z.string().min(1))
    .optional()
    .describe('Globs of more manifest files (images only), relative to this file.'),
  store: storeSchema.optional(),
  defaults: defaultsSchema.optional(),
  images: images.optional(),
});

/** A manifest file pulled in by `include`: only images. */
export const includedManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).optional(),
  images,
});

/** The main manifest as written. */
export type ManifestInput = z.infer<typeof manifestSchema>;
/** An included manifest as written. */
export type IncludedManifestInput = z.infer<typeof includedManifestSchema>;
/** One image as written. */
export type ImageInput = z.infer<typeof imageSchema>;
/** A reference as written in an image: a URL, a path, or `{ image: <id> }`. */
export type ReferenceInput = z.infer<typeof imageReferences>[number];
/** Output options as written. */
export type OutputInput = z.infer<typeof outputSchema>;
/** One output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** One fit mode. */
export type Fit = (typeof FITS)[number];
/** One crop position. */
export type Position = (typeof POSITIONS)[number];
/** One field `expose` may list. */
export type ExposableField = (typeof EXPOSABLE_FIELDS)[number];
