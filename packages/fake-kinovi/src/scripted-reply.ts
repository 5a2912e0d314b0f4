import { STATUS_CODES } from 'node:http';
import { encodeBody, htmlPage } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';
import type { FaultRoute, ScriptedFault } from './faults.js';
import { malformedJson } from './reply.js';

/** Turns a scripted fault into the reply it stands for; `natural` is the real answer, if any. */
export function scriptedReply(fault: ScriptedFault, route: FaultRoute, natural?: Reply): Reply {
  const headers = { ...fault.headers };
  if (fault.kind === 'drop') return { status: 0, kind: 'drop', fault: true };
  if (fault.kind === 'malformed') return malformedJson(fault.status ?? 200);
  if (fault.kind === 'html') {
    const status = fault.status ?? (route === 'download' ? 200 : 502);
    const bytes =
      typeof fault.body === 'string'
        ? Buffer.from(fault.body)
        : htmlPage(status >= 400 ? status : 502);
    return { status, bytes, contentType: 'text/html; charset=utf-8', headers, fault: true };
  }
  const status = fault.status ?? (fault.kind === 'truncate' ? (natural?.status ?? 200) : 500);
  const base: Reply =
    fault.body !== undefined
      ? { status, ...encodeBody(fault.body, 'application/json'), headers }
      : fault.kind === 'truncate' && natural
        ? { ...natural, status, headers: { ...natural.headers, ...headers } }
        : { status, json: { message: defaultMessage(status) }, headers };
  return fault.kind === 'truncate'
    ? { ...base, kind: 'truncate', fault: true }
    : { ...base, fault: true };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit exceeded';
  if (status >= 500) return 'Internal error';
  return STATUS_CODES[status] ?? 'Error';
}
