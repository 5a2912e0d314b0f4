import { stat } from 'node:fs/promises';
import { MANIFEST_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import type { FileSource } from './file-source.js';

/** The working tree through node's file system (the source every command but review uses). */
export const nodeFileSource: FileSource = {
  description: 'the working tree',
  // A manifest may be a link (the loader checks where it really is), but never a FIFO or a
  // device that hangs or floods the read.
  readFile: (file) => readRegularFile(file, { maxBytes: MANIFEST_MAX_BYTES, follow: true }),
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
};
