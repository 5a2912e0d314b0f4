import path from 'node:path';
import { PIXLOCK_DIR } from '../disk/project-paths.js';
import { NotRegularFileError } from '../disk/read-regular-file.js';
import { PixlockError, type Diagnostic } from '../errors.js';
import type { FileSource, SourceLinks } from '../sources/file-source.js';
import { nodeFileSource } from '../sources/node-file-source.js';
import { originalSize, outputFiles } from './output-files.js';
import { checkReferences, type ReferenceSite } from './check-references.js';
import { decodeUtf8 } from './decode-utf8.js';
import { imageReferenceProblems, type ImageSource } from './image-reference-problems.js';
import { globIncludes } from './glob-includes.js';
import { sha256 } from '../util/sha256.js';
import { outputPathProblems } from './output-path-problems.js';
import { parseManifestText } from './parse-manifest-text.js';
import { isInside } from '../disk/repository-root.js';
import { providerImageProblems } from './providers/provider-image-problems.js';
import type { ResolvedImage, ResolvedManifest } from './resolved-manifest.js';
import { resolveManifest, type DuplicateId } from './resolve-manifest.js';
import {
  includedManifestSchema,
  manifestSchema,
  type IncludedManifestInput,
  type ReferenceInput,
} from './schema.js';
import type { ManifestSources } from './manifest-sources.js';
import type { PositionedYaml } from './yaml-positions.js';

export type { ManifestSources } from './manifest-sources.js';
import { plural } from '../util/plural.js';

/**
 * Reads the manifest at `file` and every file its `include` globs match, validates them all and
 * merges them. Reads nothing outside the repository that holds the manifest, and writes
 * nothing (project/read-manifest.ts keeps what passed in the project's cache). Throws
 * MANIFEST_NOT_FOUND, or MANIFEST_INVALID carrying every problem of every file as
 * diagnostics. Reads through `source`: the working tree, or a git commit (a review's base).
 */
export async function loadManifest(
  file: string,
  source: FileSource = nodeFileSource,
  options: LoadOptions = {},
): Promise<ResolvedManifest> {
  const mainFile = path.resolve(file);
  const dir = path.dirname(mainFile);
  // A git tree (review's base) has no links and serves only its own paths: the boundary checks
  // that resolve links on a real file system, and the reference files, are a file system's
  // (the working tree's).
  const { links } = source;
  const digests = new Map<string, string>();
  // A missing manifest (or folder) is reported by the read below.
  const root = links ? await links.repositoryRoot(dir).catch(() => dir) : dir;
  const realFile = links ? await links.resolve(mainFile).catch(() => mainFile) : mainFile;
  // A manifest linked out of the repository (to a secret, to /dev/zero) is not read at all.
  if (!isInside(root, realFile)) {
    const message = `${path.basename(mainFile)} is a link leading outside the repository (${root}); pixlock reads manifests only inside it`;
    throw invalid([{ file: mainFile, path: [], line: 1, column: 1, message }]);
  }
  const main = await readManifest(mainFile, manifestSchema, source, digests);
  const diagnostics: Diagnostic[] = main.ok ? [] : [...main.diagnostics];
  const positions = new Map<string, () => PositionedYaml>();
  if (main.ok) positions.set(mainFile, main.positions);
  const locate = (f: string, p: (string | number)[], key = false) =>
    positions.get(f)?.().locate(p, key) ?? { line: 1, column: 1 };

  // Included files are checked even when the main one has problems, so one run shows them all.
  const patterns = main.ok ? main.value.include : includePatterns(main.data);
  const included: { file: string; value: IncludedManifestInput }[] = [];
  if (patterns && patterns.length > 0) {
    const found = links
      ? await globIncludes(patterns, { file: mainFile, dir, realFile }, root, links, (p) =>
          locate(mainFile, p),
        )
      : {
          files: (await source.glob(patterns, dir)).filter((f) => f !== mainFile),
          diagnostics: [],
        };
    diagnostics.push(...found.diagnostics);
    for (const f of found.files.sort()) {
      const r = await readManifest(f, includedManifestSchema, source, digests);
      if (r.ok) {
        included.push({ file: f, value: r.value });
        positions.set(f, r.positions);
      } else diagnostics.push(...r.diagnostics);
    }
  }
  if (main.ok && links) {
    const sites = referenceSites(main.value, mainFile, included);
    await options.beforeChecks?.({
      file: mainFile,
      root,
      realFile,
      digests,
      include: patterns ?? [],
      outDir: main.value.outDir,
      references: sites,
    });
    diagnostics.push(...(await outDirProblems(main.value.outDir, mainFile, root, links, locate)));
    diagnostics.push(...(await checkReferences(sites, root, links, locate)));
  }
  if (main.ok) {
    // Pure, so a git tree (a review's base) is held to it too: a cycle there would hang no
    // run, but its plan must not be built on one.
    diagnostics.push(
      ...imageReferenceProblems(
        [{ file: mainFile, images: main.value.images ?? {} }, ...included.map(imagesOf)],
        dir,
        locate,
      ),
      // What the provider cannot draw as asked, at the line that asks (a git tree too).
      ...providerImageProblems(
        {
          main: main.value,
          mainFile,
          sources: [
            { file: mainFile, images: main.value.images ?? {} },
            ...included.map((f) => ({ file: f.file, images: f.value.images })),
          ],
        },
        locate,
      ),
    );
  }
  if (diagnostics.length > 0 || !main.ok) throw invalid(diagnostics);

  const { manifest, duplicates } = resolveManifest(
    { file: mainFile, dir, value: main.value },
    included,
  );
  if (duplicates.length > 0) throw invalid(duplicateDiagnostics(duplicates, locate));
  const collisions = outputCollisions(manifest);
  if (collisions.length > 0) throw invalid(collisionDiagnostics(collisions, locate));
  // What validate accepts, generate can write: every path limit met before a credit is spent.
  const limits = outputPathProblems(manifest, locate);
  if (limits.length > 0) throw invalid(limits);
  return manifest;
}

/** Options of {@link loadManifest}. */
export interface LoadOptions {
  /**
   * Called, for a source with links (the working tree), once every file is read and before
   * the checks of where paths lead run: a cache takes the identities of what it must watch
   * then, so a file changed during the checks is not vouched for.
   */
  beforeChecks?: (sources: ManifestSources) => Promise<void>;
}

type Locate = (
  file: string,
  path: (string | number)[],
  key?: boolean,
) => { line: number; column: number };

/**
 * `outDir` must stay in the repository (symlinks followed), below the manifest's folder (the
 * lock names outputs relative to it, and a path with `..` is refused there), and out of `.git`
 * and `.pixlock`.
 */
async function outDirProblems(
  outDir: string | undefined,
  file: string,
  root: string,
  links: SourceLinks,
  locate: Locate,
): Promise<Diagnostic[]> {
  if (outDir === undefined) return [];
  const real = await links.resolve(path.resolve(path.dirname(file), outDir));
  const rel = path.relative(root, real).split(path.sep);
  let message: string | undefined;
  const below = path.relative(path.dirname(file), path.resolve(path.dirname(file), outDir));
  if (!isInside(root, real))
    message = `outDir "${outDir}" leads outside the repository (${root}); outputs must stay inside it`;
  else if (below === '..' || below.startsWith(`..${path.sep}`) || path.isAbsolute(below))
    message = `outDir "${outDir}" is not below the folder of ${path.basename(file)}; the lock names outputs relative to it. Move the manifest (with pixlock.lock and .pixlock/) up, or the outputs down`;
  else if (rel[0] === '.git' || rel.includes(PIXLOCK_DIR))
    message = `outDir "${outDir}" is inside ${rel.includes(PIXLOCK_DIR) ? PIXLOCK_DIR : '.git'}; choose a folder of your own`;
  if (!message) return [];
  const { line, column } = locate(file, ['outDir']);
  return [{ file, path: ['outDir'], line, column, message }];
}

/** Every reference as written, with where it is written. */
function referenceSites(
  main: {
    defaults?: { references?: ReferenceInput[] | undefined } | undefined;
    images?: IncludedManifestInput['images'] | undefined;
  },
  mainFile: string,
  included: { file: string; value: IncludedManifestInput }[],
): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  (main.defaults?.references ?? []).forEach((ref, i) => {
    if (typeof ref === 'string')
      sites.push({ file: mainFile, path: ['defaults', 'references', i], ref });
  });
  for (const { file, images } of [
    { file: mainFile, images: main.images ?? {} },
    ...included.map((f) => ({ file: f.file, images: f.value.images })),
  ]) {
    for (const [id, image] of Object.entries(images)) {
      (image.references ?? []).forEach((ref, i) => {
        if (typeof ref === 'string')
          sites.push({ file, path: ['images', id, 'references', i], ref });
      });
    }
  }
  return sites;
}

function imagesOf(f: { file: string; value: IncludedManifestInput }): ImageSource {
  return { file: f.file, images: f.value.images };
}

/** The `include` of a main manifest that has other problems, when it is a list of strings. */
function includePatterns(data: unknown): string[] | undefined {
  const include = (data as { include?: unknown } | null | undefined)?.include;
  return Array.isArray(include) && include.every((p) => typeof p === 'string' && p !== '')
    ? (include as string[])
    : undefined;
}

/** Two images whose outputs would be written to the same file (`hero` + widths [640] vs `hero-640`). */
function outputCollisions(manifest: ResolvedManifest) {
  const owner = new Map<string, ResolvedImage>();
  const out: { path: string; first: ResolvedImage; second: ResolvedImage }[] = [];
  for (const image of manifest.images) {
    const original = originalSize(image.aspectRatio, image.resolution);
    for (const f of outputFiles(manifest.outDir, image.id, image.output, original)) {
      const first = owner.get(f.path);
      if (first && first !== image) out.push({ path: f.path, first, second: image });
      else owner.set(f.path, image);
    }
  }
  return out;
}

function collisionDiagnostics(
  collisions: ReturnType<typeof outputCollisions>,
  locate: Locate,
): Diagnostic[] {
  return collisions.map(({ path: file, first, second }) => {
    const { line, column } = locate(second.sourceFile, ['images', second.id], true);
    return {
      file: second.sourceFile,
      path: ['images', second.id],
      line,
      column,
      message: `images "${first.id}" and "${second.id}" would both write ${file}: rename one, or change its widths or format`,
    };
  });
}

function duplicateDiagnostics(duplicates: DuplicateId[], locate: Locate): Diagnostic[] {
  return duplicates.map(({ id, files }) => {
    const first = locate(files[0]!, ['images', id], true);
    const dupFile = files[1]!;
    const { line, column } = locate(dupFile, ['images', id], true);
    return {
      file: dupFile,
      path: ['images', id],
      line,
      column,
      message: `duplicate image id "${id}": already defined at ${files[0]}:${first.line}:${first.column}`,
    };
  });
}

/** Reads, decodes (strict UTF-8) and parses one manifest file. */
async function readManifest<T>(
  file: string,
  schema: Parameters<typeof parseManifestText<T>>[2],
  source: FileSource,
  digests: Map<string, string>,
) {
  let bytes: Buffer;
  try {
    bytes = await source.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PixlockError(
        'MANIFEST_NOT_FOUND',
        `no manifest at ${file} (run "pixlock init" to create one)`,
      );
    }
    if (error instanceof NotRegularFileError)
      throw invalid([{ file, path: [], line: 1, column: 1, message: error.message }]);
    throw error;
  }
  digests.set(file, sha256(bytes));
  const decoded = decodeUtf8(bytes, file);
  if (!decoded.ok)
    return { ok: false as const, diagnostics: [decoded.diagnostic], data: undefined };
  return parseManifestText(decoded.text, file, schema);
}

/** Lists the files an `include` matches now, or undefined when it has a problem. */
function invalid(diagnostics: Diagnostic[]): PixlockError {
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const n = diagnostics.length;
  return new PixlockError(
    'MANIFEST_INVALID',
    `the manifest has ${plural(n, 'problem')}${files > 1 ? ` in ${files} files` : ''}`,
    { diagnostics },
  );
}
