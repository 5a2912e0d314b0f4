import type { EncodeSpec } from './ports.js';
import type { OutputOptions } from '../manifest/resolved-manifest.js';
import type { OutputFormat } from '../manifest/schema.js';

/**
 * AVIF encoder settings pixlock fixes rather than leave to sharp's defaults, so that a sharp
 * upgrade that changes a default cannot change what the same manifest makes (the lock's output
 * hash covers the manifest's options, not the encoder's defaults).
 *
 * - `tune: 'iq'`: libaom's image-quality tuning, sharp 0.35's default ('auto' gives the same
 *   bytes). sharp 0.34 used libaom's SSIM tuning: at the same quality number its files are
 *   smaller (the issue's 14-41%) because they are worse. At equal measured quality `iq` is the
 *   smaller: 13.8% fewer bytes than sharp 0.34.5 at the same SSIM and 12% at the same
 *   butteraugli distance (7 images × 3 widths, effort 2; `pnpm bench:size` shows it against
 *   vite-imagetools). For the look sharp 0.34 gave at quality 80, quality 70 is about right.
 * - 4:4:4 chroma and 8 bits: sharp's defaults, kept. 4:2:0 makes smaller files that SSIM on
 *   luma calls equal, but smears coloured edges and text.
 */
export const AVIF_ENCODER = { tune: 'iq', chromaSubsampling: '4:4:4', bitdepth: 8 } as const;

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
