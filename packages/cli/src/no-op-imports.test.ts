import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const coreLight = path.join(here, '..', '..', 'core', 'src', 'light.ts');

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
      if (spec!.startsWith('.'))
        visit(path.resolve(path.dirname(file), spec!.replace(/\.js$/, '.ts')));
      else if (spec === '@pixlock/core/light') visit(coreLight);
      else packages.add(spec!);
    }
  };
  visit(entry);
  return packages;
}

describe('what a no-op loads', () => {
  it('core/light reaches no package but Node built-ins', () => {
    const packages = [...staticPackages(coreLight)];
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
  });

  it.each(['generate', 'check', 'plan'])(
    'the CLI up to `%s` loads only commander and core/light',
    (command) => {
      const packages = new Set([
        ...staticPackages(path.join(here, 'bin.ts')),
        ...staticPackages(path.join(here, 'commands', `${command}.ts`)),
      ]);
      expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
    },
  );

  it('sees a static import of a heavy package (the walk itself can fail)', () => {
    expect(staticPackages(path.join(here, 'output', 'progress.ts'))).toContain('cli-progress');
    expect(staticPackages(path.join(here, 'commands', 'review.ts'))).toContain('@pixlock/core');
  });
});
