import path from 'node:path';
import { nodeStore, type NodeStore } from '../disk/node-store.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/is-url-reference.js';
import { resolveReference } from '../plan/resolve-reference.js';
import type { Project } from './load-project.js';

/**
 * The project's store on disk: outputs written only in outDir, and never removed, whatever a
 * lock names, when the manifest reads the file (see {@link manifestReads}).
 */
export function projectStore(project: Project): NodeStore {
  return nodeStore(project.paths.dir, project.paths.lockFile, {
    outDir: project.manifest.outDir,
    keep: manifestReads(project.manifest),
  });
}

/**
 * The files the manifest reads, relative to its folder with forward slashes: every manifest
 * file and every local reference. A lock can name one of them as an output in an earlier
 * outDir (with its very bytes); the store then leaves it alone.
 */
export function manifestReads(manifest: ResolvedManifest): Set<string> {
  const files = new Set<string>();
  const add = (abs: string) => {
    const rel = path.relative(manifest.dir, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel))
      files.add(rel.split(path.sep).join('/'));
  };
  for (const file of manifest.files) add(file);
  for (const image of manifest.images)
    for (const ref of image.references)
      if (!isUrlReference(ref)) add(resolveReference(image.sourceFile, ref));
  return files;
}
