import type { EncodeSpec } from '../engine/ports.js';
import type { OutputOptions } from '../manifest/resolved-manifest.js';
import type { OutputFormat } from '../manifest/schema.js';

/**
 * AVIF effort when the manifest names none. libaom's default (4) took 8.8 s for one 2048×1152
 * image on a 2-core machine; 2 took 0.8 s for a file ~25% larger (bench/avif-effort.ts).
 */
export const DEFAULT_AVIF_EFFORT = 2;

/** The encoder part of an EncodeSpec for one format: its own settings over the shared ones. */
export function encoderSettings(
  output: OutputOptions,
  format: OutputFormat,
): Pick<EncodeSpec, 'quality' | 'effort' | 'lossless' | 'progressive'> {
  const own = output[format] ?? {};
  const settings: Pick<EncodeSpec, 'quality' | 'effort' | 'lossless' | 'progressive'> = {};
  const quality = own.quality ?? output.quality;
  if (quality !== undefined) settings.quality = quality;
  if (format === 'avif') settings.effort = own.effort ?? DEFAULT_AVIF_EFFORT;
  else if (own.effort !== undefined) settings.effort = own.effort;
  if (own.lossless !== undefined) settings.lossless = own.lossless;
  if (own.progressive !== undefined) settings.progressive = own.progressive;
  return settings;
}
