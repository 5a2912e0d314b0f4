import { parseTaskKey } from './task-key.js';

/** A paid task to resume, named on the command line: its task key and its provider task id. */
export interface ResumeToken {
  /** The task key (task-key.ts): the image id, or `<id>#<n>` for candidate n. */
  key: string;
  taskId: string;
}

// What a shell passes through unquoted; anything else (a hostile server's task id) is quoted.
const PLAIN = /^[A-Za-z0-9_.:/#=+@%,-]+$/;

/**
 * `<key>=<taskId>`, as `pixlock generate --resume` takes it, quoted for a POSIX shell when
 * the task id holds anything a shell would read as syntax, so the line can be pasted as it is.
 */
export function resumeToken(key: string, taskId: string): string {
  const token = `${key}=${taskId}`;
  return PLAIN.test(token) ? token : `'${token.replace(/'/g, `'\\''`)}'`;
}

/** The key and task id of a `--resume` value, or the problem with it. */
export function parseResumeToken(value: string): ResumeToken | string {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    return `--resume "${value}": expected <image id>=<task id> (as pixlock printed it), e.g. hero=task_123`;
  }
  const key = value.slice(0, eq);
  const taskId = value.slice(eq + 1);
  const problem = parseTaskKey(key);
  if (typeof problem === 'string') return `--resume "${value}": ${problem}`;
  // eslint-disable-next-line no-control-regex
  if (taskId.length > 200 || /[\u0000-\u001f\u007f]/.test(taskId)) {
    return `--resume "${value}": a task id is at most 200 printable characters`;
  }
  return { key, taskId };
}
