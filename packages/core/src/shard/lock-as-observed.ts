import type { Lockfile } from '../lock/lockfile.js';
import type { Observed } from '../plan/plan-types.js';

/**
 * What the disk would hold if it held exactly what the lock records: every output with its
 * sha256 and every original. The split plans against this rather than the runner's own disk,
 * because every runner must split the same way and their disks differ (a cache restored on
 * one, outputs not committed). Local references come from the checkout, which they share.
 */
export function lockAsObserved(lock: Lockfile, references: Observed['references']): Observed {
  const files = new Map<string, string | null>();
  const originals = new Set<string>();
  for (const entry of Object.values(lock.images)) {
    originals.add(entry.original.sha256);
    for (const candidate of entry.candidates ?? []) originals.add(candidate.original.sha256);
    for (const file of entry.output.files) files.set(file.path, file.sha256);
  }
  return { files, originals, references };
}
