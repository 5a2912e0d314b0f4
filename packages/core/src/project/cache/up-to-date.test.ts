import {
  cp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../../test-utils/temp-project.js';
import { generate } from '../generate.js';
import { loadProject } from '../load-project.js';
import { planProject } from '../plan-project.js';
import { UP_TO_DATE_FILE, upToDate } from './up-to-date.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const manifest = `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  resolution: 1k
  output: { format: webp, widths: [64] }
images:
  a: { prompt: "First image", seed: 1 }
  b: { prompt: "Second image", seed: 2 }
`;

const HOUR_AGO = new Date(Date.now() - 3_600_000);

/** Sets every file and folder's times an hour back, as if the project had been left alone. */
async function age(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await age(p);
    if (!entry.isSymbolicLink()) await utimes(p, HOUR_AGO, HOUR_AGO);
  }
  await utimes(dir, HOUR_AGO, HOUR_AGO);
}

const record = () => path.join(project!.dir, '.pixlock', 'cache', UP_TO_DATE_FILE);

async function actions() {
  const { plan } = await planProject(await loadProject(project!.config));
  return Object.fromEntries(plan.entries.map((e) => [e.id, e.action]));
}

/** A generated project, left alone for an hour, that a no-op plan has recorded. */
async function recorded() {
  project = await tempProject({ 'pixlock.yaml': manifest });
  await generate({ config: project.config });
  await age(project.dir);
  const { plan } = await planProject(await loadProject(project.config));
  expect((await upToDate(project.config))?.plan).toEqual(plan);
  return project;
}

describe('the up-to-date record', () => {
  it('answers a no-op with the plan a full read gives, without reading the project', async () => {
    const p = await recorded();
    const found = await upToDate(p.config);
    expect(found?.plan.entries.map((e) => [e.id, e.action])).toEqual([
      ['a', 'unchanged'],
      ['b', 'unchanged'],
    ]);
    expect(found?.declarations).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is not written for files modified in the last few seconds (racily clean)', async () => {
    project = await tempProject({ 'pixlock.yaml': manifest });
    await generate({ config: project.config });
    await planProject(await loadProject(project.config));
    await expect(stat(record())).rejects.toThrow();
    expect(await upToDate(project.config)).toBeUndefined();
  });

  it('is not written for a plan with work, or one made with options', async () => {
    project = await tempProject({ 'pixlock.yaml': manifest });
    await age(project.dir);
    await planProject(await loadProject(project.config));
    await expect(stat(record())).rejects.toThrow();
    await generate({ config: project.config });
    await age(project.dir);
    await planProject(await loadProject(project.config), { only: ['a'] });
    await expect(stat(record())).rejects.toThrow();
  });

  it('misses an output rewritten in place with its size and times put back', async () => {
    const p = await recorded();
    const out = path.join(p.dir, 'generated', 'a-64.webp');
    const bytes = await readFile(out);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 0xff;
    await writeFile(out, bytes);
    await utimes(out, HOUR_AGO, HOUR_AGO);
    expect(await upToDate(p.config)).toBeUndefined();
    expect(await actions()).toMatchObject({ a: 'restore', b: 'unchanged' });
  });

  it.each([
    ['an output deleted', (dir: string) => rm(path.join(dir, 'generated', 'b-64.webp'))],
    [
      'the manifest touched',
      (dir: string) => utimes(path.join(dir, 'pixlock.yaml'), new Date(), new Date()),
    ],
    [
      'the lock replaced by an identical copy',
      async (dir: string) => {
        const lock = path.join(dir, 'pixlock.lock');
        await cp(lock, `${lock}.new`, { preserveTimestamps: true });
        await rename(`${lock}.new`, lock);
      },
    ],
    [
      'a journal a killed run left',
      (dir: string) => writeFile(path.join(dir, '.pixlock', 'journal.jsonl'), ''),
    ],
    [
      'the output folder replaced by a link to a copy',
      async (dir: string) => {
        const out = path.join(dir, 'generated');
        await cp(out, path.join(dir, 'elsewhere'), { recursive: true, preserveTimestamps: true });
        await rm(out, { recursive: true });
        await symlink(path.join(dir, 'elsewhere'), out);
      },
    ],
  ])('misses %s', async (_what, change) => {
    const p = await recorded();
    await change(p.dir);
    expect(await upToDate(p.config)).toBeUndefined();
  });

  it('asks nothing of the originals store: one removed changes no no-op', async () => {
    // A plan with nothing to do needs no original, so the record vouches for none: the
    // answer stays, and it is what a full read plans.
    const p = await recorded();
    const originals = path.join(p.dir, '.pixlock', 'originals');
    await rm(path.join(originals, (await readdir(originals))[0]!));
    const found = await upToDate(p.config);
    expect(found?.plan).toEqual((await planProject(await loadProject(p.config))).plan);
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
  });

  it('misses in a copy of the project: identities are this checkout’s, not the bytes’', async () => {
    const p = await recorded();
    const moved = `${p.dir}-moved`;
    await rename(p.dir, moved);
    await cp(moved, p.dir, { recursive: true, preserveTimestamps: true });
    await rm(moved, { recursive: true });
    expect(await upToDate(p.config)).toBeUndefined();
    // A full read then finds the copy up to date and records it again.
    await age(p.dir);
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    expect(await upToDate(p.config)).toBeDefined();
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['another revision', (r: Record<string, unknown>) => ({ ...r, revision: 0 })],
    [
      'another manifest',
      (r: Record<string, unknown>) => ({ ...r, file: '/elsewhere/pixlock.yaml' }),
    ],
    ['outputs not a list', (r: Record<string, unknown>) => ({ ...r, outputs: {} })],
    ['an output entry forged', (r: Record<string, unknown>) => ({ ...r, outputs: [[1, 2]] })],
    ['another plan key', (r: Record<string, unknown>) => ({ ...r, planKey: 'x' })],
    ['a witness missing', (r: Record<string, unknown>) => ({ ...r, manifest: null })],
  ])('treats a record that is %s as a miss', async (_what, edit) => {
    const p = await recorded();
    const text =
      typeof edit === 'string'
        ? edit
        : JSON.stringify(
            edit(JSON.parse(await readFile(record(), 'utf8')) as Record<string, unknown>),
          );
    await writeFile(record(), text);
    expect(await upToDate(p.config)).toBeUndefined();
  });
});
