import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { sha256 } from '../util/sha256.js';
import { localOriginals } from './local-originals.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const bytes = (text: string) => Buffer.from(text);
const keyOf = (data: Buffer) => ({ sha256: sha256(data), mediaType: 'image/png' });

async function project() {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-originals-'));
  await mkdir(path.join(dir, '.pixlock', 'tmp'), { recursive: true });
  return dir;
}

describe('the local originals store', () => {
  it('keeps a verified temporary file under its sha256, moved into place, once', async () => {
    const root = await project();
    const store = localOriginals(root);
    const data = bytes('an original');
    const temp = path.join(root, '.pixlock', 'tmp', 'download');
    await writeFile(temp, data);
    await store.put(keyOf(data), { file: temp, bytes: data });
    expect(await readdir(path.join(root, '.pixlock', 'tmp'))).toEqual([]);
    const kept = path.join(root, '.pixlock', 'originals', `${sha256(data)}.png`);
    expect(await readFile(kept)).toEqual(data);
    // From bytes too, and idempotent: what is kept stays.
    await store.put(keyOf(data), { bytes: data });
    expect(await readdir(path.join(root, '.pixlock', 'originals'))).toEqual([
      `${sha256(data)}.png`,
    ]);
    expect(store.locate(keyOf(data))).toBe(`.pixlock/originals/${sha256(data)}.png`);
    expect(store.name).toBe('.pixlock/originals');
  });

  it('answers for many originals at once, and reads each verified: found, missing or damaged', async () => {
    const root = await project();
    const store = localOriginals(root);
    const [a, b, c] = [bytes('a'), bytes('b'), bytes('c')];
    await store.put(keyOf(a), { bytes: a });
    await store.put(keyOf(b), { bytes: b });
    expect(await store.has([keyOf(a), keyOf(b), keyOf(c)])).toEqual(
      new Set([sha256(a), sha256(b)]),
    );
    expect(await store.get(keyOf(a))).toEqual({ status: 'found', bytes: a });
    expect(await store.get(keyOf(c))).toEqual({ status: 'missing' });
    await writeFile(path.join(root, store.locate(keyOf(b))), 'edited');
    expect(await store.get(keyOf(b))).toEqual({ status: 'damaged' });
    // No folder at all: nothing is there, and asking creates nothing.
    const empty = localOriginals(path.join(root, 'nowhere'));
    expect(await empty.has([keyOf(a)])).toEqual(new Set());
    expect(await empty.get(keyOf(a))).toEqual({ status: 'missing' });
  });

  it('lists and removes only originals, never through a link', async () => {
    const root = await project();
    const store = localOriginals(root);
    const a = bytes('a');
    await store.put(keyOf(a), { bytes: a });
    await writeFile(path.join(root, '.pixlock', 'originals', 'notes.txt'), 'mine');
    expect(await store.list()).toEqual([
      { sha256: sha256(a), file: `.pixlock/originals/${sha256(a)}.png` },
    ]);
    const refused = await store
      .remove({ sha256: sha256(a), file: '.pixlock/originals/notes.txt' })
      .catch((e: unknown) => e);
    expect(isPixlockError(refused, 'PATH_UNSAFE')).toBe(true);
    await store.remove((await store.list())[0]!);
    expect(await readdir(path.join(root, '.pixlock', 'originals'))).toEqual(['notes.txt']);
    // The originals folder a link to a folder outside: nothing is written or removed there.
    const outside = path.join(root, 'outside');
    await mkdir(outside);
    await rm(path.join(root, '.pixlock', 'originals'), { recursive: true });
    await symlink(outside, path.join(root, '.pixlock', 'originals'));
    await expect(store.put(keyOf(a), { bytes: a })).rejects.toThrow(/symlink/);
    expect(await readdir(outside)).toEqual([]);
  });
});
