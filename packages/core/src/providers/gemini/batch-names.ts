import { randomBytes } from 'node:crypto';

/** Every batch job pixlock submits has a display name starting with this. */
export const BATCH_NAME_PREFIX = 'pixlock-';

const DISPLAY_NAME = /^pixlock-(\d{8}T\d{6}Z)-([0-9a-f]{8})-(\d{1,6})$/;
const BATCH_NAME = /^batches\/[A-Za-z0-9_-]{1,100}$/;
const KEY = /^\d{1,6}$/;

/** Names batch jobs for one client: a time, a random part, and a sequence number. */
export function batchNamer(now: () => Date): () => string {
  const client = randomBytes(4).toString('hex');
  let seq = 0;
  return () => {
    const time = now()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    seq += 1;
    return `${BATCH_NAME_PREFIX}${time}-${client}-${seq}`;
  };
}

/** The task a task id names: a batch (by its name, or by the display name pixlock gave it) and a request key. */
export type BatchTask =
  { batch: string; key: string } | { displayName: string; key: string; namedAt: number };

/**
 * Reads a task id: `batches/<id>#<key>` once the batch's name is known, `<display name>#<key>`
 * when it was recorded before the batch was submitted. Undefined for anything else (a lock
 * arrives in pull requests: nothing else may reach a request path).
 */
export function parseBatchTask(taskId: string): BatchTask | undefined {
  const hash = taskId.lastIndexOf('#');
  if (hash < 0) return undefined;
  const name = taskId.slice(0, hash);
  const key = taskId.slice(hash + 1);
  if (!KEY.test(key)) return undefined;
  if (BATCH_NAME.test(name)) return { batch: name, key };
  const m = DISPLAY_NAME.exec(name);
  if (!m) return undefined;
  const t = m[1]!;
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`;
  const namedAt = Date.parse(iso);
  return Number.isNaN(namedAt) ? undefined : { displayName: name, key, namedAt };
}

/** True for a batch name the API may give (`batches/<id>`), safe to put in a path. */
export function isBatchName(name: unknown): name is string {
  return typeof name === 'string' && BATCH_NAME.test(name);
}

/** True for a file name the API may give (`files/<id>`), safe to put in a path. */
export function isFileName(name: unknown): name is string {
  return typeof name === 'string' && /^files\/[A-Za-z0-9_-]{1,100}$/.test(name);
}
