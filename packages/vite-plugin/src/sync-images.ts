import {
  generate,
  isPixlockError,
  placeholderProvider,
  type GenerateOptions,
  type GenerateResult,
  type Logger,
  type Project,
} from '@pixlock/core';
import { count } from './messages.js';

/** Options of {@link syncImages}. */
export interface SyncOptions {
  /** Absolute path of the manifest. */
  config: string;
  /** Never call the provider. */
  frozen: boolean;
  /**
   * Draw what the provider cannot for want of an API key with the placeholder provider
   * instead (the dev server: a page with stand-ins beats a page that does not start).
   */
  placeholderFallback: boolean;
  logger: Logger;
}

/** What {@link syncImages} found and did; problems are data, the caller decides. */
export interface SyncOutcome {
  /** The project after the run: its lock says what is on disk. */
  project: Project;
  /** Images that need the provider but were not generated because the run was frozen. */
  blocked: string[];
  /** Images that failed, with messages naming them. */
  failed: string[];
  /** Images locked from another provider than the manifest's: stand-ins drawn without a key. */
  placeholders: string[];
  /** The provider error that stopped the run, when no fallback applied. */
  stoppedBy?: string;
  /** One line on what was done, or undefined when nothing was. */
  summary?: string;
}

/**
 * Brings the images up to date through core's `generate`, which plans, runs and holds the
 * cross-process mutex; this only chooses the options and reads the result. Throws what
 * `generate` throws (a manifest error, say), and a missing API key only when an image
 * needs the provider and the run may neither draw placeholders nor skip it (frozen).
 */
export async function syncImages(options: SyncOptions): Promise<SyncOutcome> {
  const base: GenerateOptions = {
    config: options.config,
    frozen: options.frozen,
    logger: options.logger,
  };
  let result: GenerateResult;
  try {
    result = await generate(base);
  } catch (error) {
    // Core asks for the key only when an image needs the provider: frozen runs never get here.
    if (!options.placeholderFallback || !isPixlockError(error, 'PROVIDER_AUTH')) throw error;
    return withPlaceholders(base, options.logger, error.message);
  }
  const stop = result.run!.stoppedBy;
  if (options.placeholderFallback && stop?.code === 'PROVIDER_AUTH') {
    return withPlaceholders(base, options.logger, stop.message);
  }
  return outcome(result);
}

async function withPlaceholders(
  base: GenerateOptions,
  logger: Logger,
  why: string,
): Promise<SyncOutcome> {
  // Stand-ins drawn on an earlier save stay as they are; only changed images are drawn again.
  const result = await generate({
    ...base,
    provider: placeholderProvider(),
    alsoAccept: 'placeholder',
  });
  const drawn = result.run!.results.filter(
    (r) => r.outcome === 'created' || r.outcome === 'regenerated',
  );
  if (drawn.length > 0) {
    logger.warn(
      `${why}\nDrew ${drawn.map((r) => r.id).join(', ')} with the placeholder provider instead; set the key and save pixlock.yaml (or run pixlock generate) for the real images.`,
    );
  }
  return outcome(result);
}

function outcome({ project, run }: GenerateResult): SyncOutcome {
  const results = run!.results;
  const failed = results.flatMap((r) => {
    if (r.outcome === 'failed') return [r.error?.message ?? `${r.id}: failed`];
    if (r.outcome === 'interrupted') return [`${r.id}: interrupted`];
    if (r.outcome !== 'skipped' || r.skipReason === 'frozen') return [];
    return [`${r.id}: skipped (${r.skipReason}${r.error ? `: ${r.error.message}` : ''})`];
  });
  // Made and kept locally, but not in the store the manifest names: the next run pushes them.
  for (const u of run!.unpushed ?? [])
    failed.push(`${u.id ? `${u.id}: ` : ''}${u.object} not pushed to the store: ${u.message}`);
  const done = Object.entries(run!.counts)
    .filter(([o, n]) => n > 0 && !['unchanged', 'failed', 'skipped', 'interrupted'].includes(o))
    .map(([o, n]) => `${n} ${o}`);
  const { manifest, lock } = project;
  return {
    project,
    blocked: results.filter((r) => r.skipReason === 'frozen').map((r) => r.id),
    failed,
    // Stand-ins from an earlier dev session count too: the user should hear about them
    // until they are generated for real.
    placeholders: manifest.images
      .filter((i) => {
        const locked = lock.images[i.id]?.provider;
        return locked !== undefined && locked !== manifest.provider.name;
      })
      .map((i) => i.id),
    ...(run!.stoppedBy && { stoppedBy: run!.stoppedBy.message }),
    ...(done.length > 0 && {
      summary: `${done.join(', ')}${run!.credits > 0 ? ` (${count(run!.credits, 'credit')})` : ''}`,
    }),
  };
}
