/**
 * Where a run notes which objects are not yet in the store (push-journal.ts): noted
 * `unstored` before an image is recorded, `stored` once pushed, so a run killed in between,
 * or a store that failed, leaves what the next run pushes first.
 */
export interface PushNotes {
  /** Objects (`<kind>/<sha256>`) about to be recorded, not yet in the store. */
  unstored(ids: readonly string[]): void;
  /** Objects the store now holds. */
  stored(ids: readonly string[]): void;
}
