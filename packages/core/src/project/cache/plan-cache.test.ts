import { readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockCacheKey } from './lock-cache.js';
import { statIdentity } from './manifest-cache.js';
import { tempProject, type TempProject } from '../../test-utils/temp-project.js';
import { check } from '../check.js';
import { generate } from '../generate.js';
import { loadProject } from '../load-project.js';
import { planProject } from '../plan-project.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

// Two prompts of the same length: an edit that keeps the manifest's size.
const manifest = (prompt: string) => `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  resolution: 1k
  output: { format: webp, widths: [64] }
images:
  a: { prompt: "${prompt}", seed: 1 }
  b: { prompt: "Second image", seed: 2 }
`;

const cacheFile = (name: string) => path.join(project!.dir, '.pixlock', 'cache', name);

/** A generated project whose manifest, lock and plan caches are all written. */
async function cachedProject() {
  project = await tempProject({ 'pixlock.yaml': manifest('First prompt') });
  await generate({ config: project.config });
  // A no-op run writes the plan; the lock it reads is racily clean, so also check it by content.
  const { plan } = await planProject(await loadProject(project.config));
  expect(plan.entries.map((e) => e.action)).toEqual(['unchanged', 'unchanged']);
  for (const f of ['manifest.json', 'parsed-lock.json', 'plan.json'])
    expect((await stat(cacheFile(f))).isFile()).toBe(true);
  return project;
}

/** The manifest as a command reads it: through the cache. */
async function manifestOf(config: string) {
  return (await loadProject(config)).manifest;
}

async function actions() {
  const { plan } = await planProject(await loadProject(project!.config));
  return Object.fromEntries(plan.entries.map((e) => [e.id, e.action]));
}

describe('the manifest and plan caches', () => {
  it('answer an unchanged project from cache, with the same plan', async () => {
    const p = await cachedProject();
    const before = await readFile(cacheFile('plan.json'), 'utf8');
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    expect((await check(p.config)).ok).toBe(true);
    expect(await readFile(cacheFile('plan.json'), 'utf8')).toBe(before);
  });

  it('see a manifest edit that keeps its size, modification time and inode', async () => {
    const p = await cachedProject();
    const { mtime, atime } = await stat(p.config);
    // Written in place (same inode), same size, and the old mtime put back.
    await writeFile(p.config, manifest('Other prompt'));
    await utimes(p.config, atime, mtime);
    expect((await manifestOf(p.config)).images[0]!.prompt).toBe('Other prompt');
    expect(await actions()).toEqual({ a: 'regenerate', b: 'unchanged' });
    // Within one tick of the file system's clock even the change time stays: as if so, the
    // cache names the edited file's identity exactly, and only the bytes tell.
    await writeFile(p.config, manifest('First prompt'));
    await manifestOf(p.config);
    await writeFile(p.config, manifest('Third prompt'));
    const record = JSON.parse(await readFile(cacheFile('manifest.json'), 'utf8')) as {
      witness: { files: [string, string, string][] };
    };
    record.witness.files[0]![2] = statIdentity(await stat(p.config));
    await writeFile(cacheFile('manifest.json'), JSON.stringify(record));
    expect((await manifestOf(p.config)).images[0]!.prompt).toBe('Third prompt');
  });

  it('check a touched manifest again and keep working', async () => {
    const p = await cachedProject();
    const later = new Date(Date.now() + 5000);
    await utimes(p.config, later, later);
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    // Made invalid: a cache from before must not vouch for it.
    await writeFile(p.config, manifest('First prompt').replace('outDir: generated', 'outDir: ..'));
    await expect(manifestOf(p.config)).rejects.toThrow(/the manifest has 1 problem/);
  });

  it('see a lock replaced by another of the same size and time', async () => {
    const p = await cachedProject();
    const lockFile = path.join(p.dir, 'pixlock.lock');
    const text = await readFile(lockFile, 'utf8');
    const { mtime, atime } = await stat(lockFile);
    // Same length: one hex digit of image a's generation hash changed.
    const m = /generation: ([0-9a-f])/.exec(text)!;
    const edited = text.replace(m[0], `generation: ${m[1] === '0' ? '1' : '0'}`);
    expect(edited.length).toBe(text.length);
    await writeFile(`${lockFile}.new`, edited);
    await utimes(`${lockFile}.new`, atime, mtime);
    await rename(`${lockFile}.new`, lockFile);
    expect(await actions()).toEqual({ a: 'regenerate', b: 'unchanged' });
    // And written in place, same inode, same time put back.
    await writeFile(lockFile, text);
    await utimes(lockFile, atime, mtime);
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    // Within one tick even the change time stays: as if so, the cache names the edited lock's
    // key exactly; the lock was written moments ago, so its bytes are compared too.
    await writeFile(lockFile, edited);
    const cached = await readFile(cacheFile('parsed-lock.json'), 'utf8');
    const key = await lockCacheKey(lockFile, 'generated');
    await writeFile(cacheFile('parsed-lock.json'), key + cached.slice(cached.indexOf('\n')));
    expect(await actions()).toEqual({ a: 'regenerate', b: 'unchanged' });
  });

  it('see an output edited in place with its size and times put back', async () => {
    const p = await cachedProject();
    const out = path.join(p.dir, 'generated', 'b-64.webp');
    // An hour old, so its hash is kept (a file younger than a few seconds is always hashed).
    const atime = new Date(Date.now() - 3_600_000);
    const mtime = atime;
    await utimes(out, atime, mtime);
    expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    const bytes = await readFile(out);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(out, bytes);
    await utimes(out, atime, mtime);
    expect((await actions()).b).not.toBe('unchanged');
    expect((await check(p.config)).ok).toBe(false);
  });

  it('fall back to the full path for a corrupt or foreign cache file', async () => {
    const p = await cachedProject();
    const good = {
      manifest: await readFile(cacheFile('manifest.json'), 'utf8'),
      plan: await readFile(cacheFile('plan.json'), 'utf8'),
    };
    const broken = [
      '',
      '{',
      'null',
      '[]',
      '{"witness":{}}',
      '{"version":2,"entries":{"generated/a-64.webp":null,"generated/b-64.webp":["x",1,2,3,4]}}',
      good.manifest.slice(0, good.manifest.length / 2),
    ];
    for (const text of broken) {
      await writeFile(cacheFile('manifest.json'), text);
      await writeFile(cacheFile('plan.json'), text);
      await writeFile(cacheFile('parsed-lock.json'), text);
      await writeFile(cacheFile('hashes.json'), text);
      expect(await actions()).toEqual({ a: 'unchanged', b: 'unchanged' });
    }
    // A plan file claiming every image is fine, under the wrong key: not used.
    await p.remove('generated/a-64.webp');
    const key = good.plan.slice(0, good.plan.indexOf('\n'));
    await writeFile(cacheFile('plan.json'), good.plan.replace(key, '0'.repeat(64)));
    expect(await actions()).toEqual({ a: 'restore', b: 'unchanged' });
    expect((await check(p.config)).ok).toBe(false);
    // The plan of the intact project under its own key does not vouch for the damaged one.
    await writeFile(cacheFile('plan.json'), good.plan);
    expect(await actions()).toEqual({ a: 'restore', b: 'unchanged' });
  });

  it('refuse a cached manifest made for other files (committed beside a hostile manifest)', async () => {
    const p = await cachedProject();
    const record = JSON.parse(await readFile(cacheFile('manifest.json'), 'utf8')) as {
      witness: { files: [string, string, string][] };
      manifest: { outDir: string };
    };
    // The attacker knows the text, so its hash; not this checkout's inode and change time.
    record.witness.files[0]![2] = '1:2:3:4:5:6';
    record.manifest.outDir = '../outside';
    await writeFile(cacheFile('manifest.json'), JSON.stringify(record));
    expect((await manifestOf(p.config)).outDir).toBe('generated');
  });

  it('check a replaced reference, and see an include that matches a new file', async () => {
    project = await tempProject({
      'pixlock.yaml': manifest('First prompt').replace(
        'b: { prompt: "Second image", seed: 2 }',
        'b: { prompt: "Second image", seed: 2, references: [ref.png] }\ninclude: ["more/*.yaml"]',
      ),
      'more/one.yaml': 'images:\n  c: { prompt: "Third", seed: 3 }\n',
    });
    const sharp = (await import('sharp')).default;
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#888' },
    })
      .png()
      .toBuffer();
    await writeFile(path.join(project.dir, 'ref.png'), png);
    await generate({ config: project.config });
    expect((await manifestOf(project.config)).images.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    await project.write('more/two.yaml', 'images:\n  d: { prompt: "Fourth", seed: 4 }\n');
    expect((await manifestOf(project.config)).images.map((i) => i.id)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    await project.write('ref.png', 'not an image at all');
    await expect(manifestOf(project.config)).rejects.toThrow(/the manifest has 1 problem/);
  });
});
