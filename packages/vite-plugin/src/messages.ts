import path from 'node:path';

/** `1 image`, `2 images`: a count with its noun in the right number. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verb that goes with `n` things: `needs`/`need`, `is`/`are`. */
function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** The command that generates what a frozen build is missing, with a path the user can paste. */
export function generateCommand(config: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, config);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : config;
  return `pixlock generate --config ${shown}`;
}

/** Why a frozen build stops: which images, and what to run. */
export function frozenMessage(ids: readonly string[], reason: string, config: string): string {
  const n = ids.length;
  return [
    `${count(n, 'image')} ${verb(n, 'needs', 'need')} the image provider, but ${reason} and a frozen build never calls it: ${ids.join(', ')}`,
    `Run \`${generateCommand(config)}\`, then commit pixlock.lock, .pixlock/originals and the generated files.`,
  ].join('\n');
}

/** Why a build stops when images failed. */
export function failedMessage(failed: readonly string[], stoppedBy?: string): string {
  const lines = stoppedBy ? [stoppedBy, ...failed] : failed;
  return `pixlock could not make every image:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

/**
 * Why a build stops on images locked from another provider than the manifest's: stand-ins
 * the dev server drew without an API key must never ship.
 */
export function standInMessage(ids: readonly string[], config: string): string {
  const n = ids.length;
  return [
    `${count(n, 'image')} ${verb(n, 'is a placeholder', 'are placeholders')} drawn without an API key, not by the manifest's provider: ${ids.join(', ')}`,
    `Run \`${generateCommand(config)}\` with the key set (it regenerates them), then commit the result.`,
  ].join('\n');
}

/**
 * Why the build log names files pixlock put back: another plugin re-encoded outputs the lock
 * records, and what ships must be what the lock records.
 */
export function restoredMessage(files: readonly string[]): string {
  const n = files.length;
  return [
    `another plugin changed ${n === 1 ? 'a file' : `${n} files`} pixlock emitted; shipped the bytes pixlock.lock records instead: ${files.join(', ')}`,
    "pixlock's outputs are encoded already: exclude them from that plugin (vite-plugin-image-optimizer: `exclude`) to save it the work.",
  ].join('\n');
}

/** The dev server's note on stand-ins still in use. */
export function standInNote(ids: readonly string[]): string {
  const n = ids.length;
  return `${n === 1 ? 'a placeholder stands' : 'placeholders stand'} in for ${ids.join(', ')} until the provider generates ${n === 1 ? 'it' : 'them'}`;
}

/** What a sync left undone (the fields of sync-images.ts's SyncOutcome this reads). */
interface Undone {
  blocked: readonly string[];
  failed: readonly string[];
  stoppedBy?: string;
  placeholders: readonly string[];
}

/** Why a build must stop after bringing the images up to date, or undefined. */
export function buildProblem(outcome: Undone, reason: string, config: string): string | undefined {
  if (outcome.blocked.length > 0) return frozenMessage(outcome.blocked, reason, config);
  if (outcome.failed.length > 0 || outcome.stoppedBy) {
    return failedMessage(outcome.failed, outcome.stoppedBy);
  }
  if (outcome.placeholders.length > 0) return standInMessage(outcome.placeholders, config);
  return undefined;
}
