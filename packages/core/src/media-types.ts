/** What pixlock knows about one image format: its media type, file extensions and signature. */
export interface MediaTypeInfo {
  /** e.g. `image/png`. */
  mediaType: string;
  /** Extensions without the dot, the preferred one first (used for files pixlock writes). */
  extensions: readonly string[];
  /** sharp's `metadata().format` name. */
  sharpFormat: string;
  /** True when `bytes` start with this format's signature. */
  matches(bytes: Uint8Array): boolean;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length &&
  signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

// An ISO-BMFF file (AVIF, HEIF) names its brand at byte 8, after `ftyp` at byte 4.
const brand =
  (...brands: string[]) =>
  (bytes: Uint8Array): boolean =>
    startsWith(bytes, ascii('ftyp'), 4) && brands.some((b) => startsWith(bytes, ascii(b), 8));

/**
 * The one table of image formats: media type ↔ extension ↔ magic bytes ↔ sharp format.
 * Every other module asks this one rather than keeping a copy.
 */
export const MEDIA_TYPES: readonly MediaTypeInfo[] = Object.freeze([
  {
    mediaType: 'image/png',
    extensions: ['png'],
    sharpFormat: 'png',
    matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  {
    mediaType: 'image/jpeg',
    extensions: ['jpg', 'jpeg'],
    sharpFormat: 'jpeg',
    matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  },
  {
    mediaType: 'image/webp',
    extensions: ['webp'],
    sharpFormat: 'webp',
    matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  },
  {
    mediaType: 'image/gif',
    extensions: ['gif'],
    sharpFormat: 'gif',
    matches: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')),
  },
  {
    mediaType: 'image/avif',
    extensions: ['avif'],
    sharpFormat: 'avif',
    matches: brand('avif', 'avis'),
  },
  {
    mediaType: 'image/heif',
    extensions: ['heif', 'heic'],
    sharpFormat: 'heif',
    matches: brand('heic', 'heix', 'mif1', 'msf1'),
  },
]);

/** The format a media type names (parameters and case ignored), if pixlock knows it. */
export function mediaTypeInfo(mediaType: string): MediaTypeInfo | undefined {
  const bare = mediaType.split(';')[0]?.trim().toLowerCase();
  return MEDIA_TYPES.find((m) => m.mediaType === bare);
}

/** The media type of a file name or extension (`photo.JPG`, `.png`, `webp`), if known. */
export function mediaTypeForExtension(fileOrExtension: string): string | undefined {
  const ext = fileOrExtension.slice(fileOrExtension.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES.find((m) => m.extensions.includes(ext))?.mediaType;
}

/** The preferred extension (no dot) for a media type; `bin` when unknown. */
export function extensionForMediaType(mediaType: string): string {
  return mediaTypeInfo(mediaType)?.extensions[0] ?? 'bin';
}

/** The media type for one of sharp's format names (`jpeg`, `png`, …). */
export function mediaTypeForSharpFormat(format: string | undefined): string | undefined {
  return MEDIA_TYPES.find((m) => m.sharpFormat === format)?.mediaType;
}

/** The media type the bytes' signature says, whatever a name or a server claims. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  return MEDIA_TYPES.find((m) => m.matches(bytes))?.mediaType;
}

/** The preferred file extension (no dot) for one of sharp's format names; `bin` when unknown. */
export function extensionForFormat(format: string): string {
  return MEDIA_TYPES.find((m) => m.sharpFormat === format)?.extensions[0] ?? 'bin';
}

/** sharp's format name for a file name's extension (`hero-640.jpg` → `jpeg`), if known. */
export function formatForFile(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot < 0 || dot < file.lastIndexOf('/')) return undefined;
  const ext = file.slice(dot + 1).toLowerCase();
  return MEDIA_TYPES.find((m) => m.extensions.includes(ext))?.sharpFormat;
}
