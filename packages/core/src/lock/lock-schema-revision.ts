/**
 * Bump whenever the checks in lock-schema.ts or the way a lock text is read
 * (read-emitted-yaml.ts, the js-yaml fallback) change: cached "this lock text passed" marks
 * (see `readLock`) are keyed by it, so a pixlock that reads or checks differently checks every
 * lock again. Apart from the schema so that checking the mark does not load zod.
 */
export const LOCK_SCHEMA_REVISION = 6;
