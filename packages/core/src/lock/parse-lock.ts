import jsYaml from 'js-yaml';
import { PixlockError, type Diagnostic } from '../errors.js';
import { YamlLocator } from '../util/yaml-locator.js';
import { lockfileSchema } from './lock-schema.js';
import { readEmittedYaml } from './read-emitted-yaml.js';
import { LOCKFILE_VERSION, READABLE_LOCKFILE_VERSIONS, type Lockfile } from './lockfile.js';

/** Options of {@link parseLock}. */
export interface ParseLockOptions {
  /**
   * This exact text already passed the schema check (see `readLock`'s cache): skip it. The
   * version check and the YAML parse still run.
   */
  checked?: boolean;
}

/**
 * Parses a lockfile's text. Pure. Throws LOCK_VERSION_UNSUPPORTED for a version this pixlock
 * does not know (never guessing at a newer format), LOCK_INVALID for anything else wrong,
 * with the line of each problem.
 */
export function parseLock(text: string, file: string, options: ParseLockOptions = {}): Lockfile {
  if (/^(<{7}|>{7}|={7})( |$)/m.test(text)) {
    throw new PixlockError(
      'LOCK_INVALID',
      `${file} contains git merge conflict markers: take either side of each conflict (or delete the conflicting entries) and run "pixlock generate" to refill it`,
    );
  }
  let data: unknown = readEmittedYaml(text);
  try {
    data ??= jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const where = mark ? `:${mark.line + 1}:${mark.column + 1}` : '';
    throw new PixlockError('LOCK_INVALID', `${file}${where}: the lockfile is not valid YAML`, {
      cause: error,
    });
  }
  if (data === null || data === undefined) {
    return { lockfileVersion: LOCKFILE_VERSION, images: {}, pending: {} };
  }
  const version = (data as { lockfileVersion?: unknown }).lockfileVersion;
  // Older versions are read as they are (their fields are a subset) and written as the
  // current one: nothing is regenerated or reprocessed for the change of format.
  if (typeof version !== 'number' || !READABLE_LOCKFILE_VERSIONS.includes(version)) {
    const what =
      version === undefined
        ? 'has no lockfileVersion'
        : `has lockfileVersion ${JSON.stringify(version)}`;
    throw new PixlockError(
      'LOCK_VERSION_UNSUPPORTED',
      `${file} ${what}; this pixlock reads lockfileVersion ${READABLE_LOCKFILE_VERSIONS.join(' or ')}. ` +
        (typeof version === 'number' && version > LOCKFILE_VERSION
          ? 'It was written by a newer pixlock: upgrade pixlock.'
          : 'Restore it from git, or delete it to start over (every image will be generated again).'),
    );
  }
  if (options.checked) {
    // The serializer writes known fields only, so keys a hand edit added never reach the disk.
    const lock = data as Partial<Lockfile>;
    return {
      lockfileVersion: LOCKFILE_VERSION,
      images: lock.images ?? {},
      pending: lock.pending ?? {},
    };
  }
  const result = lockfileSchema.safeParse(data);
  if (!result.success) {
    const locator = new YamlLocator(text);
    const diagnostics: Diagnostic[] = result.error.issues.slice(0, 20).map((issue) => {
      const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
      const atKey = issue.code === 'custom' && issue.params?.key === true;
      return { file, path: p, ...locator.locate(p, atKey), message: issue.message };
    });
    const first = diagnostics[0]!;
    throw new PixlockError(
      'LOCK_INVALID',
      `${file}:${first.line}:${first.column}: the lockfile is damaged: ${first.message}`,
      {
        diagnostics,
      },
    );
  }
  return {
    lockfileVersion: LOCKFILE_VERSION,
    images: result.data.images ?? {},
    pending: result.data.pending ?? {},
  };
}
