// Benchmark: hostile and huge manifests (issue 9). For each, times `pixlock validate` as a
// whole process (it must exit 2 with the position within 2 s) and its peak memory, and
// in-process times pixlock's parseManifestText against the baseline a user would write:
// plain `js-yaml` load of the same text (no validation, no positions). Alternating order,
// 3 repeats, min and median. Run: pnpm exec tsx bench/hostile-manifest.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parseManifestText } from '../packages/core/src/manifest/parse-manifest-text.js';
import { manifestSchema } from '../packages/core/src/manifest/schema.js';

// js-yaml is core's dependency, not the workspace root's.
const jsYaml = createRequire(new URL('../packages/core/package.json', import.meta.url))(
  'js-yaml',
) as { load(text: string, options: object): unknown; CORE_SCHEMA: object };
const root = fileURLToPath(new URL('.', import.meta.url));
const dir = path.join(root, '.work', 'hostile');
const bin = path.join(root, '..', 'packages', 'cli', 'dist', 'bin.js');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const head = 'version: 1\nprovider:\n  name: placeholder\nimages:\n';
function images(n: number, promptWords: number): string {
  const prompt = 'a calm landscape in soft morning light '.repeat(promptWords).trim();
  const parts: string[] = [head];
  for (let i = 0; i < n; i++) parts.push(`  img-${i}:\n    prompt: ${prompt} ${i}\n`);
  return parts.join('');
}
const errorAtEnd = '  last:\n    aspectRatio: "2:1"\n    prompt: x\n';
const bomb = ['  a: &a [x, x, x, x, x, x, x, x, x]'];
for (const [i, c] of [...'bcdefghi'].entries())
  bomb.push(`  ${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);

const cases: [string, string][] = [
  ['alias bomb (9^9)', head + bomb.join('\n') + '\n'],
  [
    'nesting 10,000 deep',
    head.replace('images:\n', `images: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
  ],
  ['100k images, error at the end', images(100_000, 1) + errorAtEnd],
  ['20 MB manifest, error at the end', images(150_000, 3) + errorAtEnd],
  ['100k images, valid', images(100_000, 1)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (xs: number[]) =>
  `min ${Math.min(...xs).toFixed(0)} ms, median ${median(xs).toFixed(0)} ms`;
for (const [name, text] of cases) {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, text);
  const cli: number[] = [];
  let rss = 0;
  let said = '';
  let exit: number | null = null;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, bin, 'validate', '-c', file],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    cli.push(performance.now() - t);
    exit = r.status;
    const lines = r.stderr.trim().split('\n');
    rss = Math.max(rss, Number(lines.pop()) / 1024);
    said =
      lines
        .find((l) => /:\d+:\d+:/.test(l))
        ?.trim()
        .slice(0, 90) ??
      lines[0] ??
      '';
  }
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 3; i++) {
    const runs: [number[], () => unknown][] = [
      [ours, () => parseManifestText(text, file, manifestSchema)],
      [base, () => jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA })],
    ];
    for (const [into, fn] of i % 2 ? runs.reverse() : runs) {
      const t = performance.now();
      try {
        fn();
      } catch {
        // The baseline refuses some of these (depth); it is timed all the same.
      }
      into.push(performance.now() - t);
    }
  }
  console.log(`${name} (${(text.length / 1e6).toFixed(1)} MB)`);
  console.log(`  pixlock validate: exit ${exit}, ${ms(cli)}, peak RSS ${rss.toFixed(0)} MB`);
  console.log(`    ${said}`);
  console.log(`  in-process parseManifestText: ${ms(ours)}; baseline js-yaml load: ${ms(base)}`);
}
