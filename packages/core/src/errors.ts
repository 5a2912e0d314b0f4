/** Stable error codes: adapters branch on these, never on message text. */
export type ErrorCode =
  | 'MANIFEST_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'LOCK_INVALID'
  | 'LOCK_VERSION_UNSUPPORTED'
  | 'PLAN_VERSION_UNSUPPORTED'
  | 'PROJECT_BUSY'
  | 'USAGE'
  | 'PROVIDER_AUTH'
  | 'PROVIDER_CREDITS'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_BAD_REQUEST'
  | 'PROVIDER_TASK_FAILED'
  | 'PROVIDER_TASK_LOST'
  | 'PROVIDER_TIMEOUT'
  /** The provider reported charging more credits than its list price (see plan/pricing.ts). */
  | 'PROVIDER_OVERCHARGED'
  /** A create was sent and no usable answer came back: the task may exist and be charged. */
  | 'PROVIDER_CREATE_UNCONFIRMED'
  | 'PROVIDER_UNAVAILABLE'
  /** An answer that breaks the protocol (absurd credits, a non-http output URL): not trusted. */
  | 'PROVIDER_PROTOCOL'
  | 'DOWNLOAD_INVALID'
  | 'PROCESSING_FAILED'
  | 'ORIGINAL_MISSING'
  /** A write or delete would go through a symlink, or outside the folders pixlock owns. */
  | 'PATH_UNSAFE'
  /** git could not be run, or failed reading the base of a review. */
  | 'GIT_FAILED'
  | 'ABORTED';

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
