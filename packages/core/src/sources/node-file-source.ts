import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { MANIFEST_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import { repositoryRoot, resolveReal } from '../disk/repository-root.js';
import type { FileSource } from './file-source.js';

/** The working tree through node's file system (the source every command but review uses). */
export const nodeFileSource: FileSource = {
  description: 'the working tree',
  // A manifest may be a link (the loader checks where it really is), but never a FIFO or a
  // device that hangs or floods the read.
  readFile: (file) => readRegularFile(file, { maxBytes: MANIFEST_MAX_BYTES, follow: true }),
  readPlainFile,
  exists: (file) =>
    stat(file).then(
      (s) => s.isFile(),
      () => false,
    ),
  async glob(patterns, cwd) {
    // fast-glob is loaded only here: it costs ~35 ms to load.
    const { default: fg } = await import('fast-glob');
    const found = await fg([...patterns], {
      cwd,
      absolute: true,
      followSymbolicLinks: false,
      ignore: ['**/node_modules/**'],
    });
    return [...new Set(found)].sort();
  },
  links: { resolve: resolveReal, repositoryRoot },
};

/** A working-tree file unless it is a link (or not a regular file), opened without blocking. */
async function readPlainFile(file: string): Promise<Buffer | undefined> {
  const handle = await open(
    file,
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  ).catch((error: NodeJS.ErrnoException) => {
    if (['ELOOP', 'ENOENT', 'ENOTDIR', 'EISDIR'].includes(error.code ?? '')) return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}
