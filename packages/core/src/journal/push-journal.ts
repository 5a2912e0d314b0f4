import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LOCK_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { TMP_DIR } from '../disk/project-paths.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import type { PushNotes } from './push-notes.js';

/** `<kind>/<sha256>`: how an object is named in the journal (and in ObjectStore.has). */
const OBJECT_ID = /^(originals|outputs)\/[0-9a-f]{64}$/;

/**
 * The push journal, `.pixlock/unpushed.jsonl`: which objects of the lock are not yet known to
 * be in the project's store. A run notes an image's objects `unstored` before it records the
 * image, and `stored` once the store has them; a run killed in between, or a store that
 * failed, leaves `unstored` lines, and the next run pushes those first. Lines name objects
 * only (`originals/<sha256>`): which file is pushed is always taken from the lock, so a
 * journal that arrives in a pull request can make pixlock push nothing the lock does not name.
 *
 * Lines are appended synchronously and not synced: they must survive the process being
 * killed (kill -9), and a line lost to a power cut only means an object is found missing by
 * `pixlock check --store` and pushed by `pixlock store push`.
 */
export class PushJournal implements PushNotes {
  private readonly safe: SafeFolders;
  private readonly rel: string;

  constructor(readonly file: string) {
    // The journal lives in `.pixlock/` below the project folder.
    const root = path.dirname(path.dirname(file));
    this.safe = new SafeFolders(root);
    this.rel = path.relative(root, file).split(path.sep).join('/');
  }

  /** Notes objects about to be recorded, not yet in the store. */
  unstored(ids: readonly string[]): void {
    this.append(ids.map((id) => ({ unstored: id })));
  }

  /** Notes objects the store now holds. */
  stored(ids: readonly string[]): void {
    this.append(ids.map((id) => ({ stored: id })));
  }

  /**
   * The objects noted `unstored` and not `stored` since. A line that does not parse was being
   * written when the process died (or is not pixlock's) and is skipped.
   */
  async pending(): Promise<Set<string>> {
    const file = this.safe.resolve(this.rel, false);
    if (!file) return new Set();
    const text = await readRegularFile(file, { maxBytes: LOCK_MAX_BYTES }).then(
      (bytes) => bytes.toString('utf8'),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      },
    );
    const pending = new Set<string>();
    for (const raw of text.split('\n')) {
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
      if (line === null || typeof line !== 'object') continue;
      const { unstored, stored } = line as { unstored?: unknown; stored?: unknown };
      if (typeof unstored === 'string' && OBJECT_ID.test(unstored)) pending.add(unstored);
      else if (typeof stored === 'string') pending.delete(stored);
    }
    return pending;
  }

  /** Rewrites the journal to hold `ids` only (atomically), or removes it when there are none. */
  async keepOnly(ids: Iterable<string>): Promise<void> {
    const list = [...ids];
    const file = this.safe.resolve(this.rel, list.length > 0);
    if (!file) return;
    if (list.length === 0) {
      await rm(file, { force: true });
      return;
    }
    const temp = this.safe.resolve(`${TMP_DIR}/${randomBytes(8).toString('hex')}.unpushed`, true)!;
    await writeFileAtomically(file, lines(list.map((id) => ({ unstored: id }))), temp);
  }

  private append(entries: object[]): void {
    if (entries.length === 0) return;
    appendFileSync(this.safe.resolve(this.rel, true)!, lines(entries));
  }
}

function lines(entries: object[]): string {
  return entries.map((e) => JSON.stringify(e) + '\n').join('');
}
