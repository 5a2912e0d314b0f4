import { parseCreateTaskRequest } from './create-task-request.js';
import type { FaultDecider, PollFault } from './faults.js';
import { HOSTILE_TEXT } from './hostile-answers.js';
import type { FileStore } from './file-store.js';
import type { FakeKinoviOptions } from './options.js';
import { htmlPage, jsonReply } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';
import { malformedJson } from './reply.js';
import type { FakeKinoviStats } from './stats.js';
import type { FakeTask, TaskStore } from './task-store.js';

/** What the route handlers share. */
export interface ServerContext {
  options(): FakeKinoviOptions;
  readonly stats: FakeKinoviStats;
  readonly store: TaskStore;
  readonly decider: FaultDecider;
  readonly files: FileStore;
}

/** The account (index into apiKeys) behind a request, or the 401/403 to answer. */
export function authenticate(
  header: string | undefined,
  o: FakeKinoviOptions,
): { account: number } | Reply {
  if (!header) return jsonReply(401, { message: 'Missing Authorization header' });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = match?.[1];
  if (key !== undefined && o.expiredKeys.includes(key)) {
    return jsonReply(401, { message: 'API Key has expired' });
  }
  if (key !== undefined && o.inactiveKeys.includes(key)) {
    return jsonReply(401, { message: 'API Key is inactive' });
  }
  const account = key === undefined ? -1 : o.apiKeys.indexOf(key);
  if (account === -1) return jsonReply(401, { message: 'Invalid API Key' });
  if (!o.accessEnabled) return jsonReply(403, { message: 'API access not enabled' });
  return { account };
}

const isReply = (v: { account: number } | Reply): v is Reply => 'status' in v;

function tooMany(o: FakeKinoviOptions, body: Record<string, unknown>): Reply {
  const headers =
    o.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(o.retryAfterSeconds) };
  return jsonReply(429, body, headers);
}

/** POST /jobs/createTask. Nothing is created or charged unless the answer is 200. */
export function createTask(ctx: ServerContext, auth: string | undefined, raw?: Buffer): Reply {
  const o = ctx.options();
  const who = authenticate(auth, o);
  if (isReply(who)) return who;
  const fault = ctx.decider.createFault(o);
  if (fault === '500') return jsonReply(500, { message: 'Internal error' });

  let body: unknown;
  try {
    body = raw === undefined ? undefined : JSON.parse(raw.toString('utf8'));
  } catch {
    return jsonReply(400, {
      message: 'Invalid parameters',
      errors: [{ field: 'body', message: 'body is not valid JSON' }],
    });
  }
  const parsed = parseCreateTaskRequest(body, o);
  if (!parsed.ok) return jsonReply(400, { message: 'Invalid parameters', errors: parsed.errors });

  if (fault === '429') {
    return tooMany(o, {
      message: 'Rate limit exceeded',
      limit: o.concurrencyLimit,
      current: ctx.store.inFlight(who.account),
    });
  }
  const outcome = ctx.store.create(who.account, parsed.input);
  if (!outcome.ok) {
    return outcome.status === 429 ? tooMany(o, outcome.body) : jsonReply(402, outcome.body);
  }
  return jsonReply(200, { [o.taskIdField]: outcome.task.taskId });
}

/** GET /jobs/recordInfo?taskId=… (also accepts `task_id`). */
export function recordInfo(ctx: ServerContext, auth: string | undefined, url: URL): Reply {
  const o = ctx.options();
  const who = authenticate(auth, o);
  if (isReply(who)) return who;
  const fault = pollFaultReply(ctx.decider.pollFault(o), o);
  if (fault) return fault;
  const taskId = url.searchParams.get('taskId') ?? url.searchParams.get('task_id');
  if (!taskId) {
    return jsonReply(400, {
      message: 'Invalid parameters',
      errors: [{ field: 'taskId', message: 'taskId is required' }],
    });
  }
  const task = ctx.store.get(taskId);
  if (!task) return jsonReply(404, { message: 'Task not found' });
  if (task.account !== who.account) {
    return jsonReply(403, { message: 'You do not have access to this task' });
  }
  const wrong = ctx.decider.answerFault(o);
  if (wrong === 'foreign') {
    const other = ctx.store.other(task);
    const body = other
      ? recordInfoBody(other, o)
      : {
          ...recordInfoBody(task, o),
          taskId: `${task.taskId}_other`,
          [o.stateField]: 'generating',
        };
    return { ...jsonReply(200, body), fault: true };
  }
  if (wrong === 'empty-output' && task.status === 'success') {
    return { ...jsonReply(200, { ...recordInfoBody(task, o), output: [] }), fault: true };
  }
  return jsonReply(200, recordInfoBody(task, o));
}

function pollFaultReply(fault: PollFault, o: FakeKinoviOptions): Reply | undefined {
  switch (fault) {
    case 'none':
      return undefined;
    case '500':
      return { ...jsonReply(500, { message: 'Internal error' }), fault: true };
    case 'reset':
      return { status: 0, kind: 'drop', fault: true };
    case 'malformed':
      return malformedJson();
    case 'html':
      return {
        status: 502,
        bytes: htmlPage(502),
        contentType: 'text/html; charset=utf-8',
        fault: true,
      };
    case '429':
      return { ...tooMany(o, { message: 'Rate limit exceeded' }), fault: true };
  }
}

/** The poll answer, shaped by the variant options. */
export function recordInfoBody(task: FakeTask, o: FakeKinoviOptions): Record<string, unknown> {
  const done = task.status === 'success' || task.status === 'fail';
  let error: unknown = null;
  if (task.error) {
    const message = o.hostileText ? task.error.message + HOSTILE_TEXT : task.error.message;
    error = o.errorShape === 'string' ? message : { ...task.error, message };
  }
  return {
    taskId: task.taskId,
    model: task.model,
    [o.stateField]: task.status,
    // A failed task keeps showing what was reserved although it was refunded (per the notes).
    creditsUsed: done ? (o.creditsUsedReport ?? task.creditsReserved) : 0,
    output: task.output ? task.output.map((item) => ({ ...item })) : null,
    error,
    createTime: task.createTime,
    completeTime: task.completeTime,
  };
}

/** POST /uploads with `{fileName, contentType}` → `{uploadUrl, url}`. */
export function createUpload(
  ctx: ServerContext,
  auth: string | undefined,
  raw: Buffer | undefined,
  origin: string,
): Reply {
  const who = authenticate(auth, ctx.options());
  if (isReply(who)) return who;
  let body: Record<string, unknown> | undefined;
  try {
    body = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as typeof body);
  } catch {
    body = undefined;
  }
  const { fileName, contentType } = body ?? {};
  if (typeof fileName !== 'string' || fileName === '' || typeof contentType !== 'string') {
    return jsonReply(400, {
      message: 'Invalid parameters',
      errors: [{ field: 'body', message: 'fileName and contentType are required strings' }],
    });
  }
  return jsonReply(200, ctx.files.createUpload(fileName, contentType, origin));
}
