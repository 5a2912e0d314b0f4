import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
// Static imports and re-exports that load code (not `import type`, not `import()`).
const STATIC = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm;

/** Every package a module loads before any of its code runs, through its static imports. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC)) {
      if (spec!.startsWith('.')) {
        visit(path.resolve(path.dirname(file), spec!.replace(/\.js$/, '.ts')));
      } else packages.add(spec!);
    }
  };
  visit(entry);
  return packages;
}

const awsPackages = (entry: string) =>
  [...staticPackages(entry)].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'));

describe('the AWS SDK is loaded only when a store is opened', () => {
  it.each(['index.ts', 'light.ts'])('core/%s reaches none of it', (entry) => {
    expect(awsPackages(path.join(here, '..', entry))).toEqual([]);
  });

  it('nor does the remote store module itself, until openRemoteStore runs', () => {
    expect(awsPackages(path.join(here, 'remote-store.ts'))).toEqual([]);
    expect(readFileSync(path.join(here, 's3-calls.ts'), 'utf8')).toContain(
      "await import('@aws-sdk/client-s3')",
    );
  });

  it('sees a static import of the SDK (the walk itself can fail)', () => {
    const fixture = path.join(here, 'test-utils', 'static-sdk-import.fixture.ts');
    expect(awsPackages(fixture)).toEqual(['@aws-sdk/client-s3']);
  });
});
