import { LOCK_MAX_BYTES, NotRegularFileError, readRegularFile } from '../disk/read-regular-file.js';
import { PixlockError } from '../errors.js';
import { outputPathProblem } from '../lock/lock-containment.js';
import { lockEntrySchema, pendingTaskSchema } from '../lock/lock-schema.js';
import type { Lockfile, PendingTask } from '../lock/lockfile.js';
import { dropImagePending, parseTaskKey } from '../lock/task-key.js';
import { foldJournal } from './create-journal.js';
import type { JournalLine } from './lock-journal.js';

/** What {@link replayJournal} found. */
export interface Replayed {
  /** Lock changes replayed over the lock. */
  changes: number;
  /** Creates sent and never settled, added to `pending` as unconfirmed. */
  unsettled: number;
}

/**
 * Replays what a run that died left in its journal files (oldest first) over the lock read
 * from disk, in place. Replaying is idempotent (each line sets or removes one entry), so a file
 * already folded into the lock by a run that died just after writing it does no harm. A line
 * that does not parse was being written when the process died and was never acknowledged (a
 * create's line is written before it is sent), so it is skipped; a line that parses but holds
 * something no pixlock writes makes the lock invalid, at that line: outputs are held to the
 * lock's rules (lock-containment.ts) when `outDir` is given, since `.pixlock/` is committed and
 * a journal can arrive in a pull request as well as a lock.
 */
export async function replayJournal(
  lock: Lockfile,
  files: string[],
  outDir?: string,
): Promise<Replayed> {
  const open = new Map<string, PendingTask>();
  let changes = 0;
  for (const file of files) {
    const text = await readRegularFile(file, { maxBytes: LOCK_MAX_BYTES }).then(
      (bytes) => bytes.toString('utf8'),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        // Committed in .pixlock/ as a link (to /dev/zero, a FIFO, a file outside): refused.
        if (error instanceof NotRegularFileError)
          throw new PixlockError('LOCK_INVALID', `pixlock's journal ${error.message}`);
        throw error;
      },
    );
    let lineNo = 0;
    for (const raw of text.split('\n')) {
      lineNo++;
      if (raw === '') continue;
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        continue;
      }
      const bad = (message: string) =>
        new PixlockError(
          'LOCK_INVALID',
          `${file}:${lineNo}: pixlock's journal is damaged: ${message}. Delete it to start from the lock alone (a create it recorded may then be paid again)`,
        );
      const id = idOf(line);
      const problem = id === undefined ? 'not a journal line' : keyProblem(line, id);
      if (problem) throw bad(problem);
      const checked =
        checkLine(line) ?? (outDir === undefined ? undefined : outputsProblem(line, outDir));
      if (checked) throw bad(checked);
      if ('sent' in line) open.set(line.sent, line.record);
      else if ('settled' in line) open.delete(line.settled);
      else {
        changes++;
        if ('pending' in line) lock.pending[line.pending] = line.task;
        else if ('unpending' in line) delete lock.pending[line.unpending];
        else if ('image' in line) {
          lock.images[line.image] = line.entry;
          dropImagePending(lock.pending, line.image);
        } else {
          delete lock.images[line.remove];
          dropImagePending(lock.pending, line.remove);
        }
      }
    }
  }
  return { changes, unsettled: foldJournal(lock, open) };
}

function idOf(line: JournalLine): string | undefined {
  if (line === null || typeof line !== 'object') return undefined;
  const l = line as Record<string, unknown>;
  for (const key of ['sent', 'settled', 'pending', 'unpending', 'image', 'remove']) {
    if (typeof l[key] === 'string') return l[key];
  }
  return undefined;
}

/**
 * Lines about tasks are keyed by task (`<id>` or `<id>#<n>`, see task-key.ts), with the
 * candidate slot in the record agreeing with the key; lines about images by image id.
 */
function keyProblem(line: JournalLine, key: string): string | undefined {
  const parsed = parseTaskKey(key);
  if (typeof parsed === 'string') return parsed;
  const taskLine = 'sent' in line || 'settled' in line || 'pending' in line || 'unpending' in line;
  if (!taskLine) return parsed.slot === 1 ? undefined : `"${key}" is not an image id`;
  const record = 'sent' in line ? line.record : 'pending' in line ? line.task : undefined;
  const slot = (record as { candidate?: unknown } | undefined)?.candidate ?? 1;
  if (record && slot !== parsed.slot)
    return `"${key}" does not match its candidate ${String(slot)}`;
  return undefined;
}

function checkLine(line: JournalLine): string | undefined {
  const result =
    'sent' in line
      ? pendingTaskSchema.safeParse(line.record)
      : 'pending' in line
        ? pendingTaskSchema.safeParse(line.task)
        : 'image' in line
          ? lockEntrySchema.safeParse(line.entry)
          : undefined;
  if (!result || result.success) return undefined;
  const issue = result.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

function outputsProblem(line: JournalLine, outDir: string): string | undefined {
  if (!('image' in line)) return undefined;
  for (const f of line.entry.output.files) {
    const problem = outputPathProblem(f.path, outDir, line.image);
    if (problem) return problem;
  }
  return undefined;
}
