/** Stable error codes: adapters branch on these, never on message text. */
export type ErrorCode =
  /** No manifest at the given path. */
  | 'MANIFEST_NOT_FOUND'
  /** The manifest or a file it includes breaks the schema; see the diagnostics. */
  | 'MANIFEST_INVALID'
  /** The lockfile cannot be read as pixlock wrote it (damaged, edited, merged badly). */
  | 'LOCK_INVALID'
  /** The lockfile was written by a newer pixlock. */
  | 'LOCK_VERSION_UNSUPPORTED'
  /** Another pixlock process holds the project's run mutex. */
  | 'PROJECT_BUSY'
  /** The user asked for something that cannot be done as asked (arguments, settings). */
  | 'USAGE'
  /**
   * A broken invariant inside pixlock: a bug, not the user's mistake. The CLI says so and
   * asks for a report rather than exiting as for a usage error.
   */
  | 'INTERNAL'
  /** No API key, or the provider refused it: the run stops. */
  | 'PROVIDER_AUTH'
  /** The account has too few credits: no new task is created. */
  | 'PROVIDER_CREDITS'
  /** The provider answered 429: too many requests for now. */
  | 'PROVIDER_RATE_LIMITED'
  /** The provider refused a request as malformed (4xx): retrying will not help. */
  | 'PROVIDER_BAD_REQUEST'
  /** The provider reported the task failed. */
  | 'PROVIDER_TASK_FAILED'
  /** The provider no longer knows a recorded task (404). */
  | 'PROVIDER_TASK_LOST'
  /** A task or download did not finish within its deadline. */
  | 'PROVIDER_TIMEOUT'
  /** The provider reported charging more credits than its list price (see plan/pricing.ts). */
  | 'PROVIDER_OVERCHARGED'
  /** A create was sent and no usable answer came back: the task may exist and be charged. */
  | 'PROVIDER_CREATE_UNCONFIRMED'
  /** The provider could not be reached, or answered with a server error (5xx). */
  | 'PROVIDER_UNAVAILABLE'
  /** An answer that breaks the protocol (absurd credits, a non-http output URL): not trusted. */
  | 'PROVIDER_PROTOCOL'
  /** The downloaded file is no complete image (truncated, an HTML page, too large). */
  | 'DOWNLOAD_INVALID'
  /** The codec could not decode a kept original or encode an output (see sharp-codec.ts). */
  | 'PROCESSING_FAILED'
  /** An original the lock names is not in `.pixlock/originals/` to rebuild from. */
  | 'ORIGINAL_MISSING'
  /** An image references another image of the manifest that has no original yet. */
  | 'REFERENCE_NOT_GENERATED'
  /** A write or delete would go through a symlink, or outside the folders pixlock owns. */
  | 'PATH_UNSAFE'
  /**
   * The disk is full (ENOSPC), over its quota (EDQUOT), or took only part of a write: the run
   * stops creating tasks, and the next one resumes what was paid for.
   */
  | 'DISK_FULL'
  /** The disk failed a write (EIO), is read-only (EROFS) or refused a file's size (EFBIG). */
  | 'DISK_ERROR'
  /** git could not be run, or failed reading the base of a review. */
  | 'GIT_FAILED'
  /**
   * Shard locks that cannot be merged as they are (a shard missing or given twice, shards of
   * another manifest, lock or split, an image recorded two ways), or a shard's own earlier
   * state from another run.
   */
  | 'SHARDS_MISMATCH'
  /**
   * Shard locks (`pixlock.shard-*-of-*.lock`) beside the manifest that `pixlock merge` has not
   * folded in yet: a whole run would pay again for what they hold.
   */
  | 'SHARDS_UNMERGED'
  /**
   * Another runner holds this shard's claim in the store and has not published its lock: it
   * is still running (or died). Nothing was paid; run again once it is done.
   */
  | 'SHARD_CLAIMED'
  /** The object store could not be reached, or kept failing (5xx, throttling, timeouts). */
  | 'STORE_UNREACHABLE'
  /** The object store refused the credentials or the permission, or none were found. */
  | 'STORE_DENIED'
  /** An object's bytes do not match the sha256 it is stored under: refused, nothing kept. */
  | 'STORE_CORRUPT'
  /** The object (or the bucket) is not in the store. */
  | 'STORE_MISSING'
  /** The store refused a request as malformed (other 4xx): retrying will not help. */
  | 'STORE_REFUSED'
  /**
   * Originals or outputs the lock names are not in the store and could not be pushed (the
   * store failed, or the file is not on this machine): kept locally, named, pushed next run.
   */
  | 'STORE_UNPUSHED';

/** One problem in an input file, located precisely enough for an editor to jump to it. */
export interface Diagnostic {
  /** Absolute path of the file. */
  file: string;
  /** Path inside the YAML document, e.g. `['images', 'hero', 'output', 'format']`. */
  path: (string | number)[];
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  message: string;
}

/** Every error pixlock raises on purpose: a stable `code`, a message a user can act on. */
export class PixlockError extends Error {
  override readonly name = 'PixlockError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      diagnostics?: Diagnostic[];
      /** Data for reports (server error bodies, counts); never secrets. */
      details?: Record<string, unknown>;
      /** Milliseconds to wait before trying again, when the cause says so. */
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
  }

  get diagnostics(): Diagnostic[] {
    return this.extra.diagnostics ?? [];
  }
}

/** True for a {@link PixlockError}, optionally of one of the given codes. */
export function isPixlockError(error: unknown, ...codes: ErrorCode[]): error is PixlockError {
  return error instanceof PixlockError && (codes.length === 0 || codes.includes(error.code));
}

/** Formats a diagnostic the way compilers do, so terminals and editors link it. */
export function formatDiagnostic(d: Diagnostic, cwd?: string): string {
  const file = cwd && d.file.startsWith(cwd + '/') ? d.file.slice(cwd.length + 1) : d.file;
  const where = d.path.length > 0 ? ` (at ${formatPath(d.path)})` : '';
  return `${file}:${d.line}:${d.column}: ${d.message}${where}`;
}

/** `images.hero.output.widths[1]` */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((p, i) =>
      typeof p === 'number' ? `[${p}]` : /^[\w$-]+$/.test(p) ? (i === 0 ? p : `.${p}`) : `["${p}"]`,
    )
    .join('');
}

/** Message of any thrown value, for reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
