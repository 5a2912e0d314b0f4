import { readFileSync } from 'node:fs';
import { PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { parseWithPositions } from '../manifest/yaml-positions.js';
import {
  resolveStoreSettings,
  type StoreEnvironment,
  type StoreSettings,
  type StoreSettingsProblem,
} from '../remote-store/store-settings.js';

/**
 * How to reach the manifest's store from here: its `store:` block with the environment
 * (store-settings.ts, pure: no SDK, no request). Undefined without a `store:` block.
 * @throws PixlockError MANIFEST_INVALID at the line of the field at fault (a manifest-named
 * endpoint that is not AWS's and that the environment does not name, say), or USAGE naming
 * the environment variable at fault.
 */
export function storeSettingsOf(
  manifest: Pick<ResolvedManifest, 'store' | 'file'>,
  env: StoreEnvironment,
): StoreSettings | undefined {
  if (!manifest.store) return undefined;
  const resolved = resolveStoreSettings(manifest.store, env);
  if (resolved.ok) return resolved.settings;
  throw storeProblem(manifest.file, resolved.problem);
}

function storeProblem(file: string, problem: StoreSettingsProblem): PixlockError {
  if (problem.source === 'environment') {
    const message = problem.message.startsWith(problem.variable ?? '\0')
      ? problem.message
      : `${problem.variable}: ${problem.message}`;
    return new PixlockError('USAGE', `the store's settings: ${message}`, {
      details: { variable: problem.variable },
    });
  }
  const path = ['store', ...problem.path];
  // Only on this error path is the manifest read again, for the line to point at (a resolved
  // manifest, perhaps from the cache, carries no positions).
  let at = { line: 1, column: 1 };
  try {
    at = parseWithPositions(readFileSync(file, 'utf8')).locate(path);
  } catch {
    // Changed or gone meanwhile: the path alone says where.
  }
  return new PixlockError('MANIFEST_INVALID', 'the manifest has 1 problem', {
    diagnostics: [{ file, path, line: at.line, column: at.column, message: problem.message }],
  });
}
