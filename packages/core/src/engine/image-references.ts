import { PixlockError } from '../errors.js';
import type { LockedOriginal } from '../lock/lockfile.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import type { GenerationRequest, InlineReference } from '../providers/image-provider.js';
import { readOriginal } from './read-original.js';
import type { RunContext } from './run-context.js';

/** The originals an image is drawn from, read from the lock once the images they belong to are done. */
export interface UpstreamOriginals {
  /** Id → sha256 of its original, for the generation hash and the lock's `references`. */
  sha256: Record<string, string>;
  originals: { id: string; original: LockedOriginal }[];
}

/**
 * The originals of the images `image` references, as the lock has them now: the scheduler
 * starts an image only after what it references is done, so these are the new ones. An image
 * with no original (it failed, or was left out of this run and never generated) is this
 * image's failure: it is never drawn from a stale or missing reference.
 */
export function upstreamOriginals(ctx: RunContext, image: ResolvedImage): UpstreamOriginals {
  const sha256: Record<string, string> = {};
  const originals: UpstreamOriginals['originals'] = [];
  for (const id of image.imageReferences) {
    const original = ctx.lock.current.images[id]?.original;
    if (!original) {
      throw new PixlockError(
        'REFERENCE_NOT_GENERATED',
        `${image.id}: its reference ${id} has no generated original yet; generate ${id} first`,
      );
    }
    sha256[id] = original.sha256;
    originals.push({ id, original });
  }
  return { sha256, originals };
}

/**
 * Adds the referenced images to a request, first among its references, the way the provider
 * takes them. Inline: the kept originals' bytes. As URLs: the result URL of a task this run
 * completed (nothing downloaded or uploaded again), else, with uploads, the kept original
 * uploaded once per run whatever number of images it serves; never a processed output.
 */
export async function addImageReferences(
  ctx: RunContext,
  request: GenerationRequest,
  upstream: UpstreamOriginals,
): Promise<void> {
  const { provider } = ctx;
  if (provider.capabilities.references === 'inline') {
    const inline: InlineReference[] = [];
    for (const { id, original } of upstream.originals) {
      const bytes = await readOriginal(ctx.originals, id, original);
      inline.push({ image: id, sha256: original.sha256, mediaType: original.mediaType, bytes });
    }
    request.inlineReferences = [...inline, ...(request.inlineReferences ?? [])];
    return;
  }
  const urls: string[] = [];
  for (const { id, original } of upstream.originals) {
    const result = ctx.graph.resultUrls.get(id);
    if (result && result.sha256 === original.sha256) {
      urls.push(result.url);
      continue;
    }
    const { uploadOriginal } = provider;
    if (provider.capabilities.references === 'urls' || !uploadOriginal) {
      throw new PixlockError(
        'PROVIDER_BAD_REQUEST',
        `${request.id}: the ${provider.name} provider takes references only as public URLs, and ${id} has none (it was not drawn in this run)`,
      );
    }
    let upload = ctx.graph.uploads.get(original.sha256);
    if (!upload) {
      upload = readOriginal(ctx.originals, id, original).then((bytes) =>
        uploadOriginal.call(provider, bytes, original.mediaType, request, {
          signal: ctx.signal,
        }),
      );
      // A failed upload is not kept: the next image built on it tries again.
      upload.catch(() => ctx.graph.uploads.delete(original.sha256));
      ctx.graph.uploads.set(original.sha256, upload);
    }
    urls.push(await upload);
  }
  request.references.unshift(...urls);
}
