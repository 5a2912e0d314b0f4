import { defaultMessage, googleError, rateLimited } from './google-error.js';
import { htmlReply, malformedReply } from './reply.js';
import type { Reply } from './reply.js';
import type { ScriptedFault } from './scripted-fault.js';

function encodeBody(body: unknown): Pick<Reply, 'bytes' | 'contentType'> {
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain' };
  return {
    bytes: Buffer.from(JSON.stringify(body)),
    contentType: 'application/json; charset=UTF-8',
  };
}

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
    base = { status: fault.status ?? 500, ...encodeBody(fault.body) };
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
