import { PixlockError, type ErrorCode } from '../errors.js';
import { errorCode } from '../http/network-error.js';

/** What a failed store request means for the one who sent it. */
export interface StoreFailure {
  /** The stable code it ends as when not retried (or out of tries). */
  code: ErrorCode;
  /** Worth sending again: 5xx, throttling, resets, timeouts. */
  retryable: boolean;
  /** The store asked us to slow down (503 SlowDown, 429): back off longer. */
  throttled: boolean;
  /** A short reason made only of status, a known S3 error code and errno: never server text. */
  reason: string;
  status?: number;
}

const DENIED = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'ExpiredToken',
  'InvalidAccessKeyId',
  'InvalidToken',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const THROTTLED = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests']);
const TRANSIENT = new Set([
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  // The client's clock is off; the SDK corrects its offset from the answer, so a retry passes.
  'RequestTimeTooSkewed',
  'OperationAborted',
  'ConditionalRequestConflict',
  'TimeoutError',
  'AbortError',
  'BodyCutShort',
  'ConditionalWriteUnsupported',
]);
const MISSING = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
// Codes repeated in messages: only S3's own, from a fixed list, so a server cannot put text of
// its choosing (an echoed access key id, say) into a message through its error code.
const KNOWN_CODES = new Set([
  ...DENIED,
  ...THROTTLED,
  ...TRANSIENT,
  ...MISSING,
  'AuthorizationHeaderMalformed',
  'BadDigest',
  'BadRequest',
  'EntityTooLarge',
  'Forbidden',
  'IncompleteBody',
  'InvalidArgument',
  'InvalidBucketName',
  'InvalidDigest',
  'InvalidObjectState',
  'InvalidRequest',
  'KeyTooLongError',
  'MalformedXML',
  'MethodNotAllowed',
  'MissingContentLength',
  'NotImplemented',
  'PermanentRedirect',
  'PreconditionFailed',
  'XAmzContentSHA256Mismatch',
]);
// Errnos come from Node, not from the server: ECONNRESET, ERR_STREAM_PREMATURE_CLOSE, …
const ERRNO = /^(?:E[A-Z]{2,20}|(?:UND_)?ERR_[A-Z_]{2,40})$/;

/**
 * Classifies an error thrown by the S3 client or by the network. Reads only the status,
 * the error's name or S3 code and the errno, never its message: SDK errors can carry the
 * string that was signed, an echoed header or a request, and none of it may reach a message.
 */
export function classifyStoreFailure(error: unknown): StoreFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status =
    typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const s3Code = [e.Code, e.name].find(
    (c): c is string => typeof c === 'string' && KNOWN_CODES.has(c),
  );
  const errno = errorCode(error);
  const safeErrno = errno !== undefined && ERRNO.test(errno) ? errno : undefined;
  const reason =
    [status, s3Code, safeErrno].filter((part) => part !== undefined).join(' ') || 'no answer';
  const failure = (code: ErrorCode, retryable: boolean, throttled = false): StoreFailure => ({
    code,
    retryable,
    throttled,
    reason,
    ...(status !== undefined && { status }),
  });

  if (s3Code !== undefined && DENIED.has(s3Code)) return failure('STORE_DENIED', false);
  if (status === 401 || status === 403) return failure('STORE_DENIED', false);
  if (status === 429 || (s3Code !== undefined && THROTTLED.has(s3Code))) {
    return failure('STORE_UNREACHABLE', true, true);
  }
  if (status === 404 || (s3Code !== undefined && MISSING.has(s3Code))) {
    return failure('STORE_MISSING', false);
  }
  if (status !== undefined && status >= 500) return failure('STORE_UNREACHABLE', true);
  if (s3Code !== undefined && TRANSIENT.has(s3Code)) return failure('STORE_UNREACHABLE', true);
  if (status !== undefined) return failure('STORE_REFUSED', false);
  // No answer at all: a reset, a refused connection, a timeout, a body cut short.
  return failure('STORE_UNREACHABLE', true);
}

/** What a message needs to name: the store, the object, the operation. */
export interface StoreErrorContext {
  /** `s3://bucket/prefix`. */
  storeUrl: string;
  /** The custom endpoint, if any: named when it cannot be reached. */
  endpoint?: string;
  /** e.g. `GET`, `PUT`, `HEAD`, `LIST`. */
  operation: string;
  /** The object's path below the prefix, e.g. `originals/<sha>.png`, or a listed folder. */
  object?: string;
  /** Tries made, the first included. */
  attempts?: number;
}

/** The error a failure ends as, naming the store and object and never a secret. */
export function storeError(failure: StoreFailure, ctx: StoreErrorContext): PixlockError {
  const where = `${ctx.storeUrl}${ctx.object === undefined ? '' : `/${ctx.object}`}`;
  const tries = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} tries` : '';
  const via = ctx.endpoint === undefined ? '' : ` (endpoint ${ctx.endpoint})`;
  const head = `${ctx.operation} ${where}`;
  const message: Record<string, string> = {
    STORE_DENIED:
      failure.reason === 'CredentialsProviderError'
        ? `${head}: no storage credentials found; set AWS_ACCESS_KEY_ID and ` +
          `AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a web identity (GitHub Actions OIDC)`
        : `${head} was denied (${failure.reason}): check the credentials and that they may ` +
          `list, read and write objects under ${ctx.storeUrl}`,
    STORE_MISSING: `${head}: not in the store (${failure.reason})`,
    STORE_UNREACHABLE: `${head} failed${tries}${via} (${failure.reason})`,
    STORE_REFUSED: `${head} was refused by the store (${failure.reason})`,
  };
  return new PixlockError(
    failure.code,
    message[failure.code] ?? `${head} failed (${failure.reason})`,
    {
      details: {
        operation: ctx.operation,
        store: ctx.storeUrl,
        ...(ctx.object !== undefined && { object: ctx.object }),
        ...(failure.status !== undefined && { status: failure.status }),
        reason: failure.reason,
        retryable: failure.retryable,
        ...(ctx.attempts !== undefined && { attempts: ctx.attempts }),
      },
    },
  );
}
