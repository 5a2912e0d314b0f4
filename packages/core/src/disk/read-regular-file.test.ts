import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotRegularFileError, readCacheText, readRegularFile } from './read-regular-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRegularFile', () => {
  it('reads a regular file', async () => {
    await writeFile(path.join(dir, 'a'), 'hello');
    expect((await readRegularFile(path.join(dir, 'a'), { maxBytes: 5 })).toString()).toBe('hello');
  });

  it('refuses a file over the limit before reading it', async () => {
    await writeFile(path.join(dir, 'a'), 'hello!');
    await expect(readRegularFile(path.join(dir, 'a'), { maxBytes: 5 })).rejects.toMatchObject({
      reason: 'too-large',
    });
  });

  it('refuses a symlink unless asked to follow, and a device even then', async () => {
    await writeFile(path.join(dir, 'a'), 'hello');
    await symlink(path.join(dir, 'a'), path.join(dir, 'link'));
    await symlink('/dev/zero', path.join(dir, 'zero'));
    await expect(readRegularFile(path.join(dir, 'link'), { maxBytes: 9 })).rejects.toBeInstanceOf(
      NotRegularFileError,
    );
    const followed = await readRegularFile(path.join(dir, 'link'), { maxBytes: 9, follow: true });
    expect(followed.toString()).toBe('hello');
    await expect(
      readRegularFile(path.join(dir, 'zero'), { maxBytes: 1 << 30, follow: true }),
    ).rejects.toMatchObject({ reason: 'not-a-file' });
  });

  it('keeps the system error for a missing file, and a cache read says undefined', async () => {
    await expect(readRegularFile(path.join(dir, 'none'), { maxBytes: 9 })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readCacheText(path.join(dir, 'none'))).toBeUndefined();
    expect(await readCacheText(dir)).toBeUndefined();
  });
});
