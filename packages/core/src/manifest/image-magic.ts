import path from 'node:path';
import { mediaTypeForExtension, sniffMediaType } from '../media-types.js';

/** Media types a local reference may have: those the provider's upload accepts. */
export type ReferenceMediaType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

const REFERENCE_MEDIA_TYPES: readonly ReferenceMediaType[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
];

const asReference = (type: string | undefined): ReferenceMediaType | undefined =>
  REFERENCE_MEDIA_TYPES.find((t) => t === type);

/**
 * The media type the first bytes of a file announce, or undefined when they are no image a
 * reference may be. Signatures come from the one table, assets/media-types.ts.
 */
export function imageMagic(head: Uint8Array): ReferenceMediaType | undefined {
  return asReference(sniffMediaType(head));
}

/** The media type a file name's extension promises (what the upload will send). */
export function mediaTypeOfName(name: string): ReferenceMediaType | undefined {
  const ext = path.extname(name);
  return ext ? asReference(mediaTypeForExtension(ext)) : undefined;
}
