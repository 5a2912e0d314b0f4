import path from 'node:path';
import { PixlockError, type Diagnostic } from '../errors.js';
import type { FileSource } from '../sources/file-source.js';
import { nodeFileSource } from '../sources/node-file-source.js';
import { parseManifestText } from './parse-manifest-text.js';
import { outputFiles } from '../plan/output-files.js';
import type { ResolvedImage, ResolvedManifest } from './resolved-manifest.js';
import { resolveManifest, type DuplicateId } from './resolve-manifest.js';
import { includedManifestSchema, manifestSchema, type IncludedManifestInput } from './schema.js';
import { YamlLocator } from './yaml-locator.js';

/**
 * Reads the manifest at `file` and every file its `include` globs match, validates them all and
 * merges them. Throws MANIFEST_NOT_FOUND, or MANIFEST_INVALID carrying every problem of every
 * file as diagnostics. Reads through `source`: the working tree, or a git commit for a review.
 */
export async function loadManifest(
  file: string,
  source: FileSource = nodeFileSource,
): Promise<ResolvedManifest> {
  const mainFile = path.resolve(file);
  const dir = path.dirname(mainFile);
  const text = await readText(mainFile, source);
  const main = parseManifestText(text, mainFile, manifestSchema);
  if (!main.ok) throw invalid(main.diagnostics);

  const includeFiles = main.value.include ? await source.glob(main.value.include, dir) : [];
  const diagnostics: Diagnostic[] = [];
  const included: { file: string; value: IncludedManifestInput }[] = [];
  const texts = new Map([[mainFile, text]]);
  for (const f of includeFiles.sort()) {
    if (path.resolve(f) === mainFile) continue;
    const t = await readText(f, source);
    texts.set(f, t);
    const r = parseManifestText(t, f, includedManifestSchema);
    if (r.ok) included.push({ file: f, value: r.value });
    else diagnostics.push(...r.diagnostics);
  }
  if (diagnostics.length > 0) throw invalid(diagnostics);

  const { manifest, duplicates } = resolveManifest(
    { file: mainFile, dir, value: main.value },
    included,
  );
  if (duplicates.length > 0) throw invalid(duplicateDiagnostics(duplicates, texts));
  const collisions = outputCollisions(manifest);
  if (collisions.length > 0) throw invalid(collisionDiagnostics(collisions, texts));
  return manifest;
}

/** Two images whose outputs would be written to the same file (`hero` + widths [640] vs `hero-640`). */
function outputCollisions(manifest: ResolvedManifest) {
  const owner = new Map<string, ResolvedImage>();
  const out: { path: string; first: ResolvedImage; second: ResolvedImage }[] = [];
  for (const image of manifest.images) {
    for (const f of outputFiles(manifest.outDir, image.id, image.output)) {
      const first = owner.get(f.path);
      if (first && first !== image) out.push({ path: f.path, first, second: image });
      else owner.set(f.path, image);
    }
  }
  return out;
}

function collisionDiagnostics(
  collisions: ReturnType<typeof outputCollisions>,
  texts: Map<string, string>,
): Diagnostic[] {
  return collisions.map(({ path: file, first, second }) => {
    const { line, column } = new YamlLocator(texts.get(second.sourceFile) ?? '').locate(
      ['images', second.id],
      true,
    );
    return {
      file: second.sourceFile,
      path: ['images', second.id],
      line,
      column,
      message: `images "${first.id}" and "${second.id}" would both write ${file}: rename one, or change its widths or format`,
    };
  });
}

function duplicateDiagnostics(duplicates: DuplicateId[], texts: Map<string, string>): Diagnostic[] {
  const locators = new Map<string, YamlLocator>();
  const locate = (file: string, id: string) => {
    let l = locators.get(file);
    if (!l) locators.set(file, (l = new YamlLocator(texts.get(file) ?? '')));
    return l.locate(['images', id], true);
  };
  return duplicates.map(({ id, files }) => {
    const first = locate(files[0]!, id);
    const dupFile = files[1]!;
    const { line, column } = locate(dupFile, id);
    return {
      file: dupFile,
      path: ['images', id],
      line,
      column,
      message: `duplicate image id "${id}": already defined at ${files[0]}:${first.line}:${first.column}`,
    };
  });
}

async function readText(file: string, source: FileSource): Promise<string> {
  try {
    return (await source.readFile(file)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PixlockError(
        'MANIFEST_NOT_FOUND',
        `no manifest at ${file} (run "pixlock init" to create one)`,
      );
    }
    throw error;
  }
}

function invalid(diagnostics: Diagnostic[]): PixlockError {
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const n = diagnostics.length;
  return new PixlockError(
    'MANIFEST_INVALID',
    `the manifest has ${n} problem${n === 1 ? '' : 's'}${files > 1 ? ` in ${files} files` : ''}`,
    { diagnostics },
  );
}
