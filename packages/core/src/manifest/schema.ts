import { z } from 'zod';
import { IMAGE_ID_PATTERN } from '../image-id.js';
import { referenceSyntaxProblem } from './reference-syntax-problem.js';

/** Aspect ratios the provider accepts. */
export const ASPECT_RATIOS = ['1:1', '3:4', '4:3', '16:9', '9:16'] as const;
/** Resolutions the provider accepts; the long side is 1024, 2048 or 4096 px. */
export const RESOLUTIONS = ['1k', '2k', '4k'] as const;
/** Output encodings; `jpeg` files get the `.jpg` extension. */
export const OUTPUT_FORMATS = ['webp', 'avif', 'png', 'jpeg'] as const;
/** How a resize that sets both width and height fits the original. */
export const FITS = ['cover', 'contain', 'inside'] as const;
/** Image providers pixlock knows. */
export const PROVIDER_NAMES = ['placeholder', 'kinovi'] as const;

const aspectRatio = z.enum(ASPECT_RATIOS).describe('Aspect ratio of the generated original.');
const resolution = z
  .enum(RESOLUTIONS)
  .describe('1k, 2k or 4k: 1024, 2048 or 4096 px on the long side.');
const pixels = z.int().min(1).max(16384);

/** Post-processing of one image: how the committed outputs are made from the original. */
export const outputSchema = z
  .strictObject({
    format: z
      .enum(OUTPUT_FORMATS)
      .optional()
      .describe('Encoding of the output files (default webp).'),
    quality: z.int().min(1).max(100).optional().describe('Encoder quality, 1-100.'),
    width: pixels.optional().describe('Resize the main output to this width.'),
    height: pixels.optional().describe('Resize the main output to this height.'),
    widths: z
      .array(pixels)
      .min(1)
      .optional()
      .describe('A responsive set: one extra file <id>-<width>.<ext> per width.'),
    fit: z.enum(FITS).optional().describe('How to fit when both width and height are set.'),
  })
  .superRefine((output, ctx) => {
    if (output.width !== undefined && output.widths !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['widths'],
        message:
          '"width" and "widths" cannot be used together: width resizes the one output, widths makes a responsive set',
      });
    }
  })
  .describe('How the outputs are made from the original.');

const references = z
  .array(
    z
      .string()
      .min(1)
      .superRefine((ref, ctx) => {
        const problem = referenceSyntaxProblem(ref);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
  .max(9)
  .describe('Reference images: https URLs, or paths relative to the manifest file.');

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
  seed: z
    .int()
    .min(0)
    .max(4294967295)
    .optional()
    .describe('Random seed; when omitted, one is chosen once and pinned in the lock.'),
  ...generationFields,
});

/** Settings merged under every image. */
export const defaultsSchema = z.strictObject(generationFields);

/** Which image API generates the originals. */
export const providerSchema = z.strictObject({
  name: z.enum(PROVIDER_NAMES).describe('placeholder (offline, free) or kinovi (the real API).'),
  model: z.string().min(1).optional().describe('Model name (default nanobanana2).'),
  baseUrl: z.url().optional().describe('API base URL; env KINOVI_BASE_URL overrides it.'),
  pollInterval: z.int().min(10).max(60000).optional().describe('Milliseconds between polls.'),
  timeout: z.int().min(1000).optional().describe('Milliseconds one image may take in all.'),
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
  provider: providerSchema,
  outDir: z.string().min(1).optional().describe('Where outputs go, relative to this file.'),
  concurrency: z.int().min(1).max(64).optional().describe('Provider tasks in flight at once.'),
  budget: z.int().min(0).optional().describe('Most credits one run may spend.'),
  include: z
    .array(z.string().min(1))
    .optional()
    .describe('Globs of more manifest files (images only), relative to this file.'),
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
/** Output options as written. */
export type OutputInput = z.infer<typeof outputSchema>;
/** One aspect ratio. */
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
/** One resolution. */
export type Resolution = (typeof RESOLUTIONS)[number];
/** One output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** One fit mode. */
export type Fit = (typeof FITS)[number];
/** One provider name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];
