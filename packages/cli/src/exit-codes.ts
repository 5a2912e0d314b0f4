import { isPixlockError, type ErrorCode } from '@pixlock/core/light';

/** Everything done, or nothing to do. */
export const EXIT_OK = 0;
/** An image failed, `check` found drift, or `--frozen` found work that needs the provider. */
export const EXIT_FAILED = 1;
/** Bad manifest, lock or arguments. */
export const EXIT_USAGE = 2;
/**
 * `plan --detailed-exitcode` only: changes are pending. Under that flag every error exits
 * {@link EXIT_FAILED}, as Terraform's `plan -detailed-exitcode` does, so 2 means only this.
 */
export const EXIT_CHANGES = 2;
/**
 * A bug in pixlock (error code `INTERNAL`): 70 is `EX_SOFTWARE` of sysexits.h, so a script
 * can tell "pixlock is broken" from "my manifest is wrong" (2) and "an image failed" (1).
 */
export const EXIT_INTERNAL = 70;

/**
 * The disk is full or failing (DISK_FULL, DISK_ERROR): 74 is `EX_IOERR` of sysexits.h, so a
 * script can tell "free some space and run again" from "an image failed" (1).
 */
export const EXIT_DISK = 74;

/**
 * Another runner holds the shard (SHARD_CLAIMED): 75 is `EX_TEMPFAIL` of sysexits.h, "try
 * again later", so a CI script can tell a duplicated job from a failed one.
 */
export const EXIT_CLAIMED = 75;

/** True for the codes of a full or failing disk. */
export function isDiskCode(code: string): boolean {
  return code === 'DISK_FULL' || code === 'DISK_ERROR';
}

const USAGE_CODES: readonly ErrorCode[] = [
  'MANIFEST_NOT_FOUND',
  'MANIFEST_INVALID',
  'LOCK_INVALID',
  'LOCK_VERSION_UNSUPPORTED',
  'USAGE',
  'SHARDS_MISMATCH',
  'SHARDS_UNMERGED',
];

/**
 * The exit code for an error that ended a command: the one place errors become exit codes.
 * A full or failing disk is {@link EXIT_DISK}; anything else that is not a usage error or a
 * bug (a provider refusal, a path refused as unsafe) is {@link EXIT_FAILED}.
 */
export function exitCodeFor(error: unknown): number {
  if (isPixlockError(error, 'INTERNAL')) return EXIT_INTERNAL;
  if (isPixlockError(error, 'DISK_FULL', 'DISK_ERROR')) return EXIT_DISK;
  if (isPixlockError(error, 'SHARD_CLAIMED')) return EXIT_CLAIMED;
  return isPixlockError(error, ...USAGE_CODES) ? EXIT_USAGE : EXIT_FAILED;
}
