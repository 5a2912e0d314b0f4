/**
 * Every file pixlock keeps in `.pixlock/cache/`: local speed-ups, never committed (the folder
 * holds its own `.gitignore`). Only the modules of this folder (project/cache/) read or write
 * them. Each is a miss at the least doubt (a missing, corrupt, foreign or linked file, another
 * pixlock version), and a miss only costs time: any of them may be deleted at any moment.
 *
 * Reading never writes: what a command would cache is staged in its {@link CacheSession} and
 * written only once the command has succeeded, so a command that fails (a bad manifest, a
 * damaged lock, a link where a folder was) leaves the project byte for byte as it was, caches
 * included. A command that succeeds, `check` and `plan` among them, refreshes them.
 *
 * | file | holds | key | misses when |
 * | --- | --- | --- | --- |
 * | `manifest.json` | the resolved manifest that passed every check | the manifest's path and its witness: every manifest file's sha256 and identity (dev, inode, size, mtime, ctime, mode), the repository root, where the manifest, outDir and each local reference really lead, the references' identities, the files the `include` globs match | any of those changes, or pixlock's version |
 * | `checked-lock` | a mark that the lock's text passed the schema check | the lock's stat key (size, mtime, inode, ctime, outDir, checks' revision) and its text's sha256 | the lock is written, touched, replaced or edited |
 * | `parsed-lock.json` | the lock, parsed and checked | the lock's stat key; its sha256 too when it was written moments before (racily clean) | as above |
 * | `hashes.json` | the sha256 of each output and local reference file | each file's size, mtime, inode and ctime | that file changes; entries of files written moments before are not kept |
 * | `plan.json` | the last plan, and the originals store's answers it was made with | sha256 of the manifest's and the lock's digests, the plan options, every observed hash, the store's name | any input changes, or the store answers otherwise |
 * | `up-to-date.json` | the note of a plan with nothing to do | every input's identity: manifest files, references, includes, outDir, the lock's stat key, every output's lstat; the plan's key; the type declarations' sha256 | any of those changes, or a journal is there |
 * | `types-place.json` | where `pixlock-env.d.ts` goes (the CLI's no-op) | the identity of each tsconfig that decided it | one of them changes |
 * | `placeholders/v<N>-<sha256>.json` | an output's blur placeholder (the Vite plugin) | the output's sha256 and the rendering's version | never: content-addressed |
 */
export const CACHE_FILES = {
  manifest: 'manifest.json',
  checkedLock: 'checked-lock',
  parsedLock: 'parsed-lock.json',
  hashes: 'hashes.json',
  plan: 'plan.json',
  upToDate: 'up-to-date.json',
  typesPlace: 'types-place.json',
  placeholders: 'placeholders',
} as const;

/** The name of one of {@link CACHE_FILES} (a placeholder's is below `placeholders/`). */
export type CacheFile = string;
