import { z } from 'zod';

/** Output encodings; `jpeg` files get the `.jpg` extension. */
export const OUTPUT_FORMATS = ['webp', 'avif', 'png', 'jpeg'] as const;
/** How a resize that sets both width and height fits the original. */
export const FITS = ['cover', 'contain', 'inside'] as const;

const pixels = z.int().min(1).max(16384);

/** Crop anchors for `fit: cover`: a gravity, or a strategy that looks at the pixels. */
export const POSITIONS = [
  'center',
  'north',
  'northeast',
  'east',
  'southeast',
  'south',
  'southwest',
  'west',
  'northwest',
  'attention',
  'entropy',
] as const;

const quality = z.int().min(1).max(100);
const effort = (max: number, dflt: string) =>
  z.int().min(0).max(max).optional().describe(`CPU effort, 0 (fastest) to ${max}; ${dflt}.`);
const lossless = z.boolean().optional().describe('Lossless encoding (larger files).');

/** Encoder settings that apply to one format only; `quality` here beats the shared one. */
export const encoderSchemas = {
  avif: z
    .strictObject({
      quality: quality.optional().describe('AVIF quality, 1-100 (default 50).'),
      effort: effort(9, 'default 2, which keeps a 2k image near a second'),
      lossless,
    })
    .describe('AVIF encoder settings.'),
  webp: z
    .strictObject({
      quality: quality.optional().describe('WebP quality, 1-100 (default 80).'),
      effort: effort(6, 'default 4'),
      lossless,
    })
    .describe('WebP encoder settings.'),
  jpeg: z
    .strictObject({
      quality: quality.optional().describe('JPEG quality, 1-100 (default 80).'),
      progressive: z
        .boolean()
        .optional()
        .describe('Progressive JPEG (default true; false for baseline).'),
    })
    .describe('JPEG encoder settings (mozjpeg).'),
  png: z
    .strictObject({
      quality: quality
        .optional()
        .describe('Below 100: a palette PNG quantised to this quality (smaller).'),
    })
    .describe('PNG encoder settings.'),
};

const hexColour = z
  .string()
  .regex(
    /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/,
    'expected a hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa',
  );

/** Post-processing of one image: how the committed outputs are made from the original. */
export const outputSchema = z
  .strictObject({
    format: z
      .enum(OUTPUT_FORMATS)
      .optional()
      .describe('Encoding of the output files (default webp). For several, use formats.'),
    formats: z
      .array(z.enum(OUTPUT_FORMATS))
      .min(1)
      .max(OUTPUT_FORMATS.length)
      .optional()
      .describe(
        'Several encodings, in order of preference (e.g. [avif, webp]); the last is the <img> fallback.',
      ),
    quality: quality.optional().describe('Encoder quality, 1-100, for every format.'),
    width: pixels.optional().describe('Resize the main output to this width.'),
    height: pixels.optional().describe('Resize the main output to this height.'),
    widths: z
      .array(pixels)
      .min(1)
      .optional()
      .describe('A responsive set: one file <id>-<width>.<ext> per width (and format).'),
    full: z
      .boolean()
      .optional()
      .describe(
        'With widths, also write the full-size <id>.<ext>. Default false with formats, true with format.',
      ),
    allowUpscale: z
      .boolean()
      .optional()
      .describe('Make sizes larger than the original (default false: clamp to the original).'),
    fit: z.enum(FITS).optional().describe('How to fit when both width and height are set.'),
    position: z
      .enum(POSITIONS)
      .optional()
      .describe('What a cover crop keeps: a gravity, or attention / entropy (default center).'),
    background: hexColour
      .optional()
      .describe(
        'Colour of the bars a contain fit adds, e.g. "#ffffff" or "#0000" (default black).',
      ),
    sizes: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'The sizes attribute for <img> and <source>, e.g. "(min-width: 800px) 50vw, 100vw".',
      ),
    avif: encoderSchemas.avif.optional(),
    webp: encoderSchemas.webp.optional(),
    jpeg: encoderSchemas.jpeg.optional(),
    png: encoderSchemas.png.optional(),
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
    if (output.format !== undefined && output.formats !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['formats'],
        message: '"format" and "formats" cannot be used together: list every format in formats',
      });
    }
    if (output.formats && new Set(output.formats).size !== output.formats.length) {
      ctx.addIssue({ code: 'custom', path: ['formats'], message: 'a format is listed twice' });
    }
  })
  .describe('How the outputs are made from the original.');
