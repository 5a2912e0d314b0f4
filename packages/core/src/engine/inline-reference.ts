import { sniffMediaType } from '../media-types.js';
import { readRegularFile } from '../disk/read-regular-file.js';
import { errorMessage, PixlockError } from '../errors.js';
import type { InlineReference } from '../providers/image-provider.js';
import { sha256 } from '../util/sha256.js';
import type { RunContext } from './run-context.js';

/** Far above any reference an API takes (Gemini's whole request is 20 MB). */
const REFERENCE_MAX_BYTES = 50 * 2 ** 20;

/** The default way to read a local reference: a regular file (or a link to one), bounded. */
export function readReferenceFile(file: string): Promise<Buffer> {
  return readRegularFile(file, { maxBytes: REFERENCE_MAX_BYTES, follow: true });
}

/**
 * A local reference file read for a provider that takes references inline. The bytes sent
 * must be the bytes the plan hashed into the image's generation hash, and an image: a file
 * changed since (or a text file renamed `.png`, `/etc/passwd` behind a link) never leaves
 * the machine.
 */
export async function readInlineReference(
  ctx: RunContext,
  imageId: string,
  file: string,
  planned: string | undefined,
): Promise<InlineReference> {
  const bad = (why: string, cause?: unknown) =>
    new PixlockError('PROVIDER_BAD_REQUEST', `${imageId}: reference ${file} ${why}`, {
      ...(cause !== undefined && { cause }),
    });
  const bytes = await ctx.readReference(file).catch((error: unknown) => {
    throw bad(`cannot be read (${errorMessage(error)})`, error);
  });
  const hash = sha256(bytes);
  if (planned === undefined || hash !== planned) {
    throw bad('changed since it was planned: run again to plan with its new content');
  }
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw bad('is not an image: its bytes are no PNG, JPEG, WebP, GIF, AVIF or HEIF');
  try {
    await ctx.codec.decode(bytes);
  } catch (error) {
    throw bad(`does not decode as an image (${errorMessage(error)})`, error);
  }
  return { file, sha256: hash, mediaType, bytes };
}
