import type { Reply } from '@pixlock/fake-http-kit';

/** A JSON answer cut in the middle, as a proxy that gave up would send it. */
export function malformedJson(status = 200): Reply {
  return {
    status,
    bytes: Buffer.from('{"taskId":"task_0","status":"succ'),
    contentType: 'application/json; charset=utf-8',
    fault: true,
  };
}

/**
 * The envelope option's shape, the way the provider's webhooks are wrapped: successes become
 * `{code: 200, message: 'success', data}`; errors keep `message` on top.
 */
export function wrapEnvelope(status: number, json: unknown): unknown {
  if (status < 400) return { code: status, message: 'success', data: json };
  const { message, ...rest } = (json ?? {}) as Record<string, unknown>;
  return { code: status, message, data: Object.keys(rest).length > 0 ? rest : null };
}
