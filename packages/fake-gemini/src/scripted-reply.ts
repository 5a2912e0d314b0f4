import { encodeBody } from '@pixlock/fake-http-kit';
import { defaultMessage, googleError, rateLimited } from './google-error.js';
import { htmlReply, JSON_CONTENT_TYPE, malformedReply } from './reply.js';
import type { Reply } from '@pixlock/fake-http-kit';
import type { ScriptedFault } from './scripted-fault.js';

/**
 * Turns a scripted fault into the answer it stands for. `natural` is the real answer when the
 * request was processed first (`afterProcessing`); a `truncate` cuts it (or the scripted status).
 * A scripted status without a body answers Google's envelope for it (a 429 with RetryInfo).
 */
export function scriptedReply(
  fault: ScriptedFault,
  retryDelaySeconds: number | null,
  natural?: Reply,
): Reply {
  if (fault.kind === 'drop') return { status: 0, kind: 'drop', fault: true };
  if (fault.kind === 'malformed') return malformedReply();
  if (fault.kind === 'html') return htmlReply(fault.status ?? 502);
  let base: Reply;
  if (fault.body !== undefined) {
    base = { status: fault.status ?? 500, ...encodeBody(fault.body, JSON_CONTENT_TYPE) };
  } else if (fault.status !== undefined) {
    base =
      fault.status === 429
        ? rateLimited(defaultMessage(429), retryDelaySeconds)
        : googleError(fault.status, defaultMessage(fault.status));
  } else {
    base = natural ?? googleError(500, defaultMessage(500));
  }
  const headers = { ...base.headers, ...fault.headers };
  const reply: Reply = { ...base, headers, fault: true };
  return fault.kind === 'truncate' ? { ...reply, kind: 'truncate' } : reply;
}
