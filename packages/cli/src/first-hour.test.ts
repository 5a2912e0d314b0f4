import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

// What a new user meets in the first hour, through the CLI in process: counts in the right
// number, and an outDir change that plans, checks and runs as a free move.

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const manifest = (outDir: string, ids: string[]) =>
  `version: 1
provider: { name: placeholder }
outDir: ${outDir}
defaults: { resolution: 1k, output: { format: webp, width: 64 } }
images:
${ids.map((id, i) => `  ${id}: { prompt: 'Image ${id}', seed: ${i + 1} }`).join('\n')}
`;

async function project(text: string) {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-first-hour-'));
  await writeFile(path.join(dir, '.git'), '');
  await writeFile(path.join(dir, 'pixlock.yaml'), text);
  const cwd = dir;
  return async (...argv: string[]) => {
    const run = await runPixlockInProcess(cwd, argv);
    return { code: run.code, out: run.stdout.trimEnd(), err: run.stderr.trimEnd() };
  };
}

describe('messages that count', () => {
  it('say "1 image" and "1 lock entry", never "1 images"', async () => {
    const pixlock = await project(manifest('generated', ['a', 'b']));
    await writeFile(path.join(dir!, 'pixlock.yaml'), manifest('generated', ['a']));
    const frozen = await pixlock('generate', '--frozen');
    expect(frozen.code).toBe(1);
    expect(frozen.out).toContain('--frozen: 1 image needs the provider: a');
    expect((await pixlock('check')).out).toContain('drift: 1 of 1 image needs work:');
    expect((await pixlock('validate')).out).toBe('valid: 1 image in 1 file; lock ok');
    expect((await pixlock('generate')).code).toBe(0);
    expect((await pixlock('check')).out).toBe(
      'ok: the 1 image is generated, locked and unmodified',
    );
    await writeFile(path.join(dir!, 'pixlock.yaml'), manifest('generated', ['a', 'b']));
    await pixlock('generate');
    await writeFile(path.join(dir!, 'pixlock.yaml'), manifest('generated', ['a']));
    const note = await pixlock('check');
    expect(note.err).toContain('note: 1 lock entry is no longer in the manifest');
    const pruned = await pixlock('prune');
    expect(pruned.out).toContain('removed 1 lock entry, 1 output, 1 original');
  });
});

describe('changing outDir after the first generate', () => {
  it('plan shows a free move, check says what is pending, generate --frozen does it', async () => {
    const pixlock = await project(manifest('generated', ['a', 'b']));
    expect((await pixlock('generate')).code).toBe(0);
    await writeFile(path.join(dir!, 'pixlock.yaml'), manifest('src/generated', ['a', 'b']));
    expect((await pixlock('validate')).code).toBe(0);
    const plan = await pixlock('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.out.split('\n')).toEqual([
      '  ~ a   move                     outDir changed: generated → src/generated',
      '  ~ b   move                     outDir changed: generated → src/generated',
      '',
      'Plan: 0 to create, 0 to regenerate, 0 to rebuild from kept originals (free), 2 to move to the new outDir (free), 0 orphaned, 0 unchanged. Estimated 0 credits ($0.000).',
    ]);
    const check = await pixlock('check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('a: move (outDir changed: generated → src/generated)');
    expect(check.err).toContain('fix: pixlock generate --frozen (no provider calls needed)');
    const run = await pixlock('generate', '--frozen', '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.out) as { counts: { moved: number; created: number } };
    expect(doc.counts).toMatchObject({ moved: 2, created: 0 });
    expect((await pixlock('check')).code).toBe(0);
    expect(existsSync(path.join(dir!, 'generated'))).toBe(false);
    const lock = await readFile(path.join(dir!, 'pixlock.lock'), 'utf8');
    expect(lock).toContain('path: src/generated/a.webp');
    expect(lock).not.toContain('path: generated/');
  });
});
