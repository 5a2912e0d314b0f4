// A complete project for the no-op benchmarks: a lock and every output on disk, made without
// generating anything (the bytes are stand-ins; their hashes are what the lock records).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  generationHash,
  generationInputs,
  loadManifest,
  serializeLock,
} from '../packages/core/src/index.js';
import { originalRelPath } from '../packages/core/src/disk/project-paths.js';
import { emptyLock } from '../packages/core/src/lock/lockfile.js';
import { outputHash } from '../packages/core/src/plan/hashes.js';
import { outputFiles } from '../packages/core/src/manifest/output-files.js';
import { sha256 } from '../packages/core/src/util/sha256.js';

/** Writes the lock, originals and outputs for the manifest already in `dir`; the output count. */
export async function completeProject(dir: string, manifestName = 'pixlock.yaml'): Promise<number> {
  const manifest = await loadManifest(path.join(dir, manifestName));
  const lock = emptyLock();
  let outputs = 0;
  for (const image of manifest.images) {
    const original = Buffer.from(`original ${image.id}`);
    const originalSha = sha256(original);
    const originalPath = path.join(dir, originalRelPath(originalSha, 'image/png'));
    mkdirSync(path.dirname(originalPath), { recursive: true });
    writeFileSync(originalPath, original);
    const files = outputFiles(manifest.outDir, image.id, image.output).map((spec) => {
      const data = Buffer.from(`output ${spec.path}`);
      mkdirSync(path.dirname(path.join(dir, spec.path)), { recursive: true });
      writeFileSync(path.join(dir, spec.path), data);
      const size = { width: spec.width ?? 1024, height: spec.width ?? 1024 };
      return { path: spec.path, sha256: sha256(data), ...size, bytes: data.length };
    });
    outputs += files.length;
    lock.images[image.id] = {
      generation: generationHash(
        generationInputs(image, manifest.provider, image.seed!, () => undefined),
      ),
      provider: 'placeholder',
      model: manifest.provider.model,
      seed: image.seed!,
      taskId: `placeholder-${image.id}`,
      credits: 0,
      generatedAt: '2026-11-24T00:00:00.000Z',
      original: {
        sha256: originalSha,
        mediaType: 'image/png',
        bytes: original.length,
        width: 1024,
        height: 1024,
      },
      output: { hash: outputHash(image.output), files },
    };
  }
  writeFileSync(path.join(dir, 'pixlock.lock'), serializeLock(lock));
  return outputs;
}
