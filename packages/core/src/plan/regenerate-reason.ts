import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';

/**
 * Why an image built on others is drawn again: which of its references this run draws anew,
 * and which have never been generated.
 */
export function cascadeReason(waitsFor: readonly string[], redrawn: ReadonlySet<string>): string {
  const drawn = waitsFor.filter((up) => redrawn.has(up));
  const absent = waitsFor.filter((up) => !redrawn.has(up));
  const parts: string[] = [];
  if (drawn.length > 0)
    parts.push(`reference${drawn.length > 1 ? 's' : ''} ${drawn.join(', ')} regenerated`);
  if (absent.length > 0)
    parts.push(
      `reference${absent.length > 1 ? 's' : ''} ${absent.join(', ')} not generated yet (generate ${absent.length > 1 ? 'them' : 'it'} first)`,
    );
  return parts.join('; ');
}

/**
 * Why a locked image's generation no longer matches: the first of provider, model, seed and
 * upstream originals that changed, else its own generation inputs.
 */
export function regenerateReason(
  image: ResolvedImage,
  manifest: ResolvedManifest,
  locked: {
    provider: string;
    model: string;
    seed: number;
    references?: Record<string, string> | undefined;
  },
  originalOf: (id: string) => string | undefined,
): string {
  if (locked.provider !== manifest.provider.name)
    return `provider changed (${locked.provider} → ${manifest.provider.name})`;
  if (locked.model !== manifest.provider.model)
    return `model changed (${locked.model} → ${manifest.provider.model})`;
  if (image.seed !== undefined && image.seed !== locked.seed)
    return `seed changed (${locked.seed} → ${image.seed})`;
  const changed = image.imageReferences.filter(
    (up) => locked.references?.[up] !== undefined && locked.references[up] !== originalOf(up),
  );
  if (changed.length > 0)
    return `reference${changed.length > 1 ? 's' : ''} ${changed.join(', ')} changed (${changed.length > 1 ? 'their originals differ' : 'its original differs'} from the one this image was drawn from)`;
  return 'generation inputs changed (prompt, negativePrompt, aspectRatio, resolution or references)';
}
