import path from 'node:path';
import type { ProjectFiles } from '../engine/ports.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../manifest/is-url-reference.js';
import { resolveReference } from '../plan/resolve-reference.js';
import { localFiles, type LocalFiles } from './local-files.js';
import type { Project } from './load-project.js';

/**
 * The project's files on disk: outputs written only in outDir, and never removed, whatever a
 * lock names, when the manifest reads the file (see {@link manifestReads}).
 */
export function localProjectFiles(project: Project): LocalFiles {
  return localFiles(project.paths, {
    outDir: project.manifest.outDir,
    keep: manifestReads(project.manifest),
  });
}

/**
 * The ports a run of `project` writes through: the local disk's, with any of them replaced
 * (`replace`: a test's in-memory originals store, say).
 */
export function projectFiles(project: Project, replace: Partial<ProjectFiles> = {}): ProjectFiles {
  const local = localProjectFiles(project);
  return {
    temps: replace.temps ?? local.temps,
    outputs: replace.outputs ?? local.outputs,
    // A run pushes an image's original once it is recorded (push-recorded.ts), not as it is kept.
    originals: replace.originals ?? project.stores?.runOriginals ?? project.originals,
    lock: replace.lock ?? local.lock,
    ...((replace.objects ?? project.stores?.objects) && {
      objects: replace.objects ?? project.stores!.objects,
    }),
    ...(replace.pushNotes && { pushNotes: replace.pushNotes }),
  };
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
