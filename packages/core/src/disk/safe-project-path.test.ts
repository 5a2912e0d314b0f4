import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { safeProjectPath } from './safe-project-path.js';

let base: string | undefined;
afterEach(async () => {
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

async function layout() {
  base = await mkdtemp(path.join(tmpdir(), 'pixlock-safe-path-'));
  const project = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  await mkdir(project);
  await mkdir(outside);
  await writeFile(path.join(outside, 'victim.txt'), 'keep me');
  return { project, outside };
}

describe('safeProjectPath', () => {
  it('makes the folders of a support file below the project and returns its path', async () => {
    const { project } = await layout();
    const file = path.join(project, '.pixlock', 'pixlock.schema.json');
    expect(safeProjectPath(project, file)).toBe(file);
  });

  it('refuses a support file that is a symlink to a file outside the project', async () => {
    const { project, outside } = await layout();
    const file = path.join(project, 'pixlock-env.d.ts');
    await symlink(path.join(outside, 'victim.txt'), file);
    expect(() => safeProjectPath(project, file)).toThrow(/symlink/);
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses a .pixlock folder that is a symlink to a folder outside the project', async () => {
    const { project, outside } = await layout();
    await symlink(outside, path.join(project, '.pixlock'));
    expect(() => safeProjectPath(project, path.join(project, '.pixlock', 'x.json'))).toThrow(
      /PATH_UNSAFE|symlink/,
    );
  });

  it('outside the project (a configured path), refuses only a symlink itself', async () => {
    const { project, outside } = await layout();
    expect(safeProjectPath(project, path.join(outside, 'new.d.ts'))).toBe(
      path.join(outside, 'new.d.ts'),
    );
    await symlink(path.join(outside, 'victim.txt'), path.join(outside, 'link.d.ts'));
    expect(() => safeProjectPath(project, path.join(outside, 'link.d.ts'))).toThrow(/symlink/);
  });
});
