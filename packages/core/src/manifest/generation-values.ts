/**
 * The values a generation is asked for, apart from the schema that validates them: the
 * providers' own manifest checks (manifest/providers/) need them without importing the schema,
 * which imports them.
 */

/** Aspect ratios the provider accepts. */
export const ASPECT_RATIOS = ['1:1', '3:4', '4:3', '16:9', '9:16'] as const;
/** Resolutions the provider accepts; the long side is 1024, 2048 or 4096 px. */
export const RESOLUTIONS = ['1k', '2k', '4k'] as const;

/** One aspect ratio. */
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
/** One resolution. */
export type Resolution = (typeof RESOLUTIONS)[number];
