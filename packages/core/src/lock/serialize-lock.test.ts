import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitYaml } from './emit-yaml.js';
import { LOCK_FIELD_ORDER, type FieldOrder } from './lock-field-order.js';
import type { Lockfile } from './lockfile.js';
import { serializeLock } from './serialize-lock.js';

// What serializeLock wrote before it stopped copying the lock: an ordered copy, then emitYaml.
// The lock's bytes must not change with how they are produced.
function ordered(value: unknown, order: FieldOrder): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, order));
  if (value === null || typeof value !== 'object') return value;
  const from = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, child] of order) {
    if (from[key] !== undefined) out[key] = child ? ordered(from[key], child) : from[key];
  }
  return out;
}
function sortedMap(map: Record<string, unknown>, order: FieldOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(map).sort()) out[id] = ordered(map[id], order);
  return out;
}
function reference(lock: Lockfile): string {
  const doc: Record<string, unknown> = {
    lockfileVersion: lock.lockfileVersion,
    images: sortedMap(lock.images, LOCK_FIELD_ORDER.images),
  };
  if (Object.keys(lock.pending).length > 0)
    doc.pending = sortedMap(lock.pending, LOCK_FIELD_ORDER.pending);
  return (
    '# pixlock.lock: written by pixlock. Commit it; do not edit it by hand.\n' +
    '# It records how each image was generated and the hashes of every file made from it.\n' +
    emitYaml(doc)
  );
}

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('yes', '12e34', 'a: b', '', 'null'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const key = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('x', 'extra'));
const loose = fc.dictionary(key, scalar, { maxKeys: 3 });

/** An object with the given order's fields (each maybe missing) and some it does not know. */
function shaped(order: FieldOrder, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    order.map(([name, child]) => {
      const inner: fc.Arbitrary<unknown> =
        child && depth < 3
          ? fc.oneof(
              shaped(child, depth + 1),
              fc.array(shaped(child, depth + 1), { maxLength: 2 }),
              loose,
            )
          : fc.oneof(scalar, loose, fc.array(scalar, { maxLength: 2 }));
      return [name, fc.option(inner, { nil: undefined })];
    }),
  );
  return fc.tuple(fc.record(fields), loose).map(([known, unknown]) => ({ ...unknown, ...known }));
}

const ids = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.constantFrom('a/b', 'z', '#1', '0', '7', '10', '01', '4294967294', '4294967295', '-1', '1.5'),
  fc.nat().map(String),
);
const lock: fc.Arbitrary<Lockfile> = fc.record({
  lockfileVersion: fc.constantFrom(1, 2),
  images: fc.dictionary(ids, shaped(LOCK_FIELD_ORDER.images), { maxKeys: 5 }),
  pending: fc.dictionary(ids, shaped(LOCK_FIELD_ORDER.pending), { maxKeys: 3 }),
}) as fc.Arbitrary<Lockfile>;

describe('serializeLock', () => {
  it('writes the same text as an ordered copy passed to emitYaml, fields it does not know included', () => {
    fc.assert(
      fc.property(lock, (l) => {
        let want: string | Error;
        try {
          want = reference(l);
        } catch (error) {
          want = error as Error;
        }
        if (want instanceof Error) expect(() => serializeLock(l)).toThrow(want.message);
        else expect(serializeLock(l)).toBe(want);
      }),
      { numRuns: 400 },
    );
  });

  it('lists integer-like ids first, in numeric order, as it always has', () => {
    const entry = { seed: 1 } as never;
    const images = Object.fromEntries(['b', '10', 'a', '2', '01', '0'].map((id) => [id, entry]));
    const text = serializeLock({ lockfileVersion: 2, images, pending: {} });
    const order = [...text.matchAll(/^ {2}"?([^ ":]+)"?:/gm)].map((m) => m[1]);
    expect(order).toEqual(['0', '2', '10', '01', 'a', 'b']);
  });

  it('writes an empty lock', () => {
    expect(serializeLock({ lockfileVersion: 2, images: {}, pending: {} })).toMatch(
      /\nlockfileVersion: 2\nimages: \{\}\n$/,
    );
  });
});
