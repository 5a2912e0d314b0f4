import { readFile, stat } from 'node:fs/promises';
import type { FileSource } from './file-source.js';

/** The working tree through node's file system (the source every command but review uses). */
export const nodeFileSource: FileSource = {
  description: 'the working tree',
  readFile: (file) => readFile(file),
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
