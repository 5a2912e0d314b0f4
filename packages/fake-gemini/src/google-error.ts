import { jsonReply } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';

/** google.rpc status names by HTTP status, as the Gemini API pairs them. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The google.rpc status name for an HTTP status (`UNKNOWN` when none fits). */
export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? (status >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');
}

/** Google's error envelope: `{error: {code, message, status, details?}}`. */
export function googleError(
  status: number,
  message: string,
  details?: readonly Record<string, unknown>[],
  statusNameOverride?: string,
): Reply {
  const error: Record<string, unknown> = {
    code: status,
    message,
    status: statusNameOverride ?? statusName(status),
  };
  if (details && details.length > 0) error.details = details;
  return jsonReply(status, { error });
}

/** A default message per status, in Google's words where they are known. */
export function defaultMessage(status: number): string {
  if (status === 429) return 'Resource has been exhausted (e.g. check quota).';
  if (status === 503) return 'The model is overloaded. Please try again later.';
  if (status === 500) return 'An internal error has occurred. Please retry or report.';
  if (status === 404) return 'Requested entity was not found.';
  return 'Request contains an invalid argument.';
}

/** 429 RESOURCE_EXHAUSTED, with a `google.rpc.RetryInfo` when `retryDelaySeconds` is not null. */
export function rateLimited(message: string, retryDelaySeconds: number | null): Reply {
  const details: Record<string, unknown>[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (retryDelaySeconds !== null) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: `${retryDelaySeconds}s`,
    });
  }
  return googleError(429, message, details);
}

/** 400 INVALID_ARGUMENT naming the field, with a `google.rpc.BadRequest` detail. */
export function invalidArgument(field: string, description: string): Reply {
  return googleError(400, `Invalid value at '${field}': ${description}`, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field, description }],
    },
  ]);
}
