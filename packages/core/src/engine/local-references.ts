import { PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/hashes.js';
import { resolveReference } from '../plan/resolve-reference.js';
import type { GenerationRequest } from '../providers/image-provider.js';
import { readInlineReference } from './inline-reference.js';
import type { RunContext } from './run-context.js';

/**
 * Adds an image's local reference files to a request, after its URLs, the way the provider
 * takes them (its capabilities): uploaded and sent as their URLs, or sent as their bytes.
 * A provider that takes only public URLs cannot be sent one: the image fails before any
 * create.
 */
export async function addLocalReferences(
  ctx: RunContext,
  image: ResolvedImage,
  request: GenerationRequest,
): Promise<void> {
  const local = image.references.filter((ref) => !isUrlReference(ref));
  if (local.length === 0) return;
  const { provider } = ctx;
  switch (provider.capabilities.references) {
    case 'urls':
      throw new PixlockError(
        'PROVIDER_BAD_REQUEST',
        `${request.id}: the ${provider.name} provider takes references only as public URLs, and ${local[0]} is a local file`,
      );
    case 'uploads':
      for (const ref of local) {
        const file = resolveReference(image.sourceFile, ref);
        request.references.push(
          await uploaderOf(ctx).call(provider, file, request, { signal: ctx.signal }),
        );
      }
      return;
    case 'inline':
      for (const ref of local) {
        const file = resolveReference(image.sourceFile, ref);
        const planned = ctx.referenceHash(image.sourceFile, ref);
        (request.inlineReferences ??= []).push(
          await readInlineReference(ctx, request.id, file, planned),
        );
      }
  }
}

function uploaderOf(ctx: RunContext): NonNullable<RunContext['provider']['uploadReference']> {
  const upload = ctx.provider.uploadReference;
  if (!upload) {
    throw new PixlockError(
      'INTERNAL',
      `the ${ctx.provider.name} provider takes uploads but has no uploadReference`,
    );
  }
  return upload;
}
