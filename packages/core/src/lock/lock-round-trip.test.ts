import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { lockEntrySchema, pendingTaskSchema } from './lock-schema.js';
import { LOCK_FIELD_ORDER, type FieldOrder } from './lock-field-order.js';
import type { LockEntry, Lockfile, PendingTask } from './lockfile.js';
import { parseLock } from './parse-lock.js';
import { serializeLock } from './serialize-lock.js';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/).filter((s) => !/^\.+$/.test(s));
const imageId = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
// Printable text including YAML's awkward characters (": ", "#", quotes, unicode).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const line = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !CONTROL.test(s));
const count = fc.nat({ max: 2 ** 40 });
const dim = fc.nat({ max: 100_000 });
const credits = fc.oneof(fc.nat({ max: 1000 }), fc.double({ min: 0, max: 1000, noNaN: true }));
const outPath = fc
  .array(
    fc
      .stringMatching(/^[A-Za-z0-9 _][A-Za-z0-9 ._-]{0,9}$/)
      .filter((s) => !/^\.+$/.test(s) && s.trim() === s && s.length > 0),
    { minLength: 1, maxLength: 4 },
  )
  .map((s) => s.join('/'))
  .filter((p) => !p.startsWith('.pixlock/'));

const plainEntry: fc.Arbitrary<LockEntry> = fc.record({
  generation: hex64,
  provider: line,
  model: line,
  seed: count,
  taskId: line,
  credits,
  generatedAt: line,
  original: fc.record({
    sha256: hex64,
    mediaType: fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/avif'),
    bytes: count,
    width: dim,
    height: dim,
  }),
  output: fc.record({
    hash: hex64,
    files: fc.array(
      fc.record({ path: outPath, sha256: hex64, width: dim, height: dim, bytes: count }),
      { maxLength: 3 },
    ),
  }),
});
const candidate = fc.record({
  seed: count,
  taskId: line,
  credits,
  generatedAt: line,
  original: fc.record({
    sha256: hex64,
    mediaType: fc.constantFrom('image/png', 'image/webp'),
    bytes: count,
    width: dim,
    height: dim,
  }),
});
// Entries of version 2 with variants: the chosen candidate is the entry's own task and original.
const entry: fc.Arbitrary<LockEntry> = fc.oneof(
  plainEntry,
  fc
    .tuple(plainEntry, fc.array(candidate, { minLength: 1, maxLength: 8 }), fc.nat())
    .map(([e, candidates, n]) => {
      const chosen = (n % candidates.length) + 1;
      const c = candidates[chosen - 1]!;
      return { ...e, taskId: c.taskId, original: c.original, chosen, candidates };
    }),
);
const pendingTask: fc.Arbitrary<PendingTask> = fc.record(
  {
    taskId: line.filter((s) => s.length > 0),
    generation: hex64,
    provider: line,
    seed: count,
    credits,
    createdAt: line,
  },
  { requiredKeys: ['generation', 'provider', 'seed', 'credits', 'createdAt'] },
);
// Pending tasks keyed by task: `<id>` for a first candidate, `<id>#<n>` with `candidate: n`.
const pending = fc
  .array(fc.tuple(imageId, fc.integer({ min: 1, max: 8 }), pendingTask), { maxLength: 4 })
  .map((tasks) => {
    const out: Record<string, PendingTask> = {};
    for (const [id, slot, task] of tasks) {
      out[slot === 1 ? id : `${id}#${slot}`] = slot === 1 ? task : { ...task, candidate: slot };
    }
    return out;
  });
const lock: fc.Arbitrary<Lockfile> = fc.record({
  lockfileVersion: fc.constant(2 as const),
  images: fc.dictionary(imageId, entry, { maxKeys: 5 }),
  pending,
});

describe('the lock, described once', () => {
  it('reads back every lock it writes, exactly (fast reader and full check alike)', () => {
    fc.assert(
      fc.property(lock, (l) => {
        const text = serializeLock(l);
        expect(parseLock(text, 'pixlock.lock')).toEqual(l);
        expect(parseLock(text, 'pixlock.lock', { checked: true })).toEqual(l);
      }),
      { numRuns: 300 },
    );
  });

  it('writes fields in the order the schema declares them', () => {
    const keys = (order: FieldOrder) => order.map(([k]) => k);
    expect(keys(LOCK_FIELD_ORDER.images)).toEqual(Object.keys(lockEntrySchema.shape));
    expect(keys(LOCK_FIELD_ORDER.pending)).toEqual(Object.keys(pendingTaskSchema.shape));
  });
});

describe('a hostile lock', () => {
  const h = (c: string) => c.repeat(64);
  const good = (): LockEntry => ({
    generation: h('a'),
    provider: 'placeholder',
    model: 'm',
    seed: 1,
    taskId: 't',
    credits: 15,
    generatedAt: '2026-11-24T10:00:00.000Z',
    original: { sha256: h('1'), mediaType: 'image/png', bytes: 1, width: 1, height: 1 },
    output: {
      hash: h('2'),
      files: [{ path: 'generated/a.webp', sha256: h('3'), width: 1, height: 1, bytes: 1 }],
    },
  });
  /** Expects the error at the first line holding `marker`. */
  const rejects = (images: Record<string, unknown>, marker: string, message: RegExp) => {
    const text = serializeLock({ lockfileVersion: 2, images: images as never, pending: {} });
    const line = text.split('\n').findIndex((l) => l.includes(marker)) + 1;
    expect(line).toBeGreaterThan(0);
    let error: unknown;
    try {
      parseLock(text, 'pixlock.lock');
    } catch (e) {
      error = e;
    }
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^pixlock\\.lock:${line}:`));
    expect((error as Error).message).toMatch(message);
  };
  const withFile = (path: string) => {
    const e = good();
    e.output.files[0]!.path = path;
    return { a: e };
  };

  it.each([
    ['../victim/data.txt', /could leave the project/],
    ['generated/../../x', /could leave the project/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /absolute/],
    ['generated\\..\\x', /backslash/],
    ['.pixlock/originals/x.png', /pixlock's own folder/],
    ['generated//a.webp', /empty segment/],
  ])('refuses the output path %s at its line', (p, message) => {
    rejects(withFile(p), 'path:', message);
  });

  it('refuses ids the manifest could not name, at the id', () => {
    rejects({ '../escape': good() }, '../escape', /would escape outDir/);
    rejects({ 'a/../../b': good() }, 'a/../../b', /would escape outDir/);
    rejects({ UPPER: good() }, 'UPPER', /is invalid/);
  });

  it('refuses odd hashes, media types and numbers', () => {
    rejects({ a: { ...good(), generation: 'abc' } }, 'generation:', /sha256/);
    rejects({ a: { ...good(), credits: -1000 } }, 'credits:', /credits|>=0|too small/i);
    rejects({ a: { ...good(), credits: 1e12 } }, 'credits:', /too big|<=/i);
    const odd = good();
    odd.original.mediaType = 'text/html';
    rejects({ a: odd }, 'mediaType:', /Invalid option|expected one of/i);
  });

  it('refuses candidates that name no original of theirs, or a choice the entry does not hold', () => {
    const cand = (sha: string) => ({
      seed: 7,
      taskId: 't',
      credits: 15,
      generatedAt: 'x',
      original: { sha256: sha, mediaType: 'image/png', bytes: 1, width: 1, height: 1 },
    });
    // Originals are named by hash and media type only: a path cannot be smuggled in.
    rejects(
      { a: { ...good(), candidates: [cand(h('1')), cand('../../../etc/passwd')] } },
      '../../../etc/passwd',
      /sha256/,
    );
    rejects(
      {
        a: {
          ...good(),
          candidates: [
            cand(h('1')),
            { ...cand(h('5')), original: { ...cand(h('5')).original, mediaType: 'text/html' } },
          ],
        },
      },
      'text/html',
      /Invalid option|expected one of/i,
    );
    rejects(
      { a: { ...good(), chosen: 3, candidates: [cand(h('1')), cand(h('5'))] } },
      'chosen:',
      /only 2 candidates/,
    );
    rejects(
      { a: { ...good(), chosen: 2, candidates: [cand(h('1')), cand(h('5'))] } },
      'chosen:',
      /does not match/,
    );
    rejects({ a: { ...good(), chosen: 9 } }, 'chosen:', /too big|<=/i);
    rejects(
      { a: { ...good(), candidates: Array.from({ length: 9 }, () => cand(h('1'))) } },
      '- seed:',
      /too big|<=|at most/i,
    );
  });

  it('refuses pending keys that are not <id> or <id>#<2-8> matching their candidate', () => {
    const task = { generation: h('a'), provider: 'p', seed: 1, credits: 15, createdAt: 'x' };
    for (const [key, value, message] of [
      ['a#9', { ...task }, /n from 2 to 8/],
      ['a#1', { ...task }, /n from 2 to 8/],
      ['a#2', { ...task }, /does not match its candidate 1/],
      ['a', { ...task, candidate: 3 }, /does not match its candidate 3/],
      ['../x#2', { ...task, candidate: 2 }, /escape outDir/],
    ] as const) {
      const text = serializeLock({
        lockfileVersion: 2,
        images: {},
        pending: { [key]: value as never },
      });
      expect(() => parseLock(text, 'pixlock.lock')).toThrow(message);
    }
  });
});

describe('a version-1 lock', () => {
  it('is read as it is and written back as version 2 with every entry unchanged', () => {
    fc.assert(
      fc.property(
        fc.dictionary(imageId, plainEntry, { maxKeys: 4 }),
        fc.dictionary(imageId, pendingTask, { maxKeys: 2 }),
        (images, pending) => {
          const v2 = serializeLock({ lockfileVersion: 2, images, pending });
          const v1 = v2.replace('lockfileVersion: 2\n', 'lockfileVersion: 1\n');
          expect(v1).toContain('lockfileVersion: 1\n');
          const read = parseLock(v1, 'pixlock.lock');
          expect(read).toEqual({ lockfileVersion: 2, images, pending });
          expect(serializeLock(read)).toBe(v2);
        },
      ),
      { numRuns: 100 },
    );
  });
});
