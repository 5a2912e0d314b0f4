import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/run-types.js';
import { generate, type GenerateOptions } from '../project/generate.js';
import { tempProject, type TempProject } from './temp-project.js';
import { createProvider } from '../providers/create-provider.js';
import type { ContractHarness, ContractSubject } from './contract-subject.js';

const manifest = (settings: string) => `version: 1
provider: { ${settings} }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
  hero: { prompt: a lighthouse at dawn, seed: 7 }
`;

/**
 * The contract through pixlock itself (`generate`: manifest, plan, engine, lock, store): one
 * image made and recorded, nothing left to do after it, a run stopped after its create
 * paying once, and the unknown-outcome rule: an answer lost holds the image until --force.
 */
export function runContract(name: string, harness: ContractHarness): void {
  describe(`${name}: through generate`, () => {
    let s: ContractSubject;
    let project: TempProject;
    /** What a run printed or reported, to look for the key in. */
    let seen: string[];
    const run = (options: Partial<GenerateOptions> = {}) =>
      generate({
        config: project.config,
        env: s.project.env,
        ...(s.project.provider && { provider: s.project.provider }),
        logger: { info: (m) => seen.push(m), warn: (m) => seen.push(m) },
        onEvent: (e: EngineEvent) => seen.push(JSON.stringify(e)),
        ...options,
      });
    beforeEach(async () => {
      s = await harness.setup();
      project = await tempProject({ 'pixlock.yaml': manifest(s.project.settings) });
      seen = [];
    });
    afterEach(async () => {
      await project.cleanup();
      await harness.teardown();
    });

    it('makes and records an image, keeps its original, then has nothing left to do', async () => {
      const first = await run();
      expect(first.run?.counts.created).toBe(1);
      const entry = first.project.lock.images.hero!;
      expect(entry.provider).toBe((s.project.provider ?? s.provider).name);
      const originals = await readdir(path.join(project.dir, '.pixlock', 'originals'));
      expect(originals.map((f) => f.slice(0, 64))).toContain(entry.original.sha256);
      expect((await project.readBytes('out/hero.png')).length).toBeGreaterThan(0);
      const second = await run();
      expect(second.run?.counts).toMatchObject({ unchanged: 1, created: 0 });
      expect(s.creates()).toBe(1);
      if (s.faults) {
        const lock = await project.read('pixlock.lock');
        for (const text of [lock, ...seen]) expect(text).not.toContain(s.faults.key);
      }
    });

    it('pays once for a run stopped right after its create: the next run finishes it', async () => {
      const stop = new AbortController();
      const first = await run({
        signal: stop.signal,
        onEvent: (e) => e.type === 'task-created' && stop.abort(new Error('killed')),
      });
      // A polled task is left recorded; a synchronous call came back done and is kept.
      const sync = s.declared.calls === 'sync';
      expect(first.run?.results[0]?.outcome).toBe(sync ? 'created' : 'interrupted');
      if (!sync) expect(first.project.lock.pending.hero?.taskId).toBeDefined();
      const next = await run();
      expect(next.run?.results[0]?.outcome).toBe(sync ? 'unchanged' : 'resumed');
      expect(next.project.lock.images.hero).toBeDefined();
      expect(next.project.lock.pending).toEqual({});
      expect(s.creates()).toBe(1);
    });

    if (harness.offline) {
      it('needs no key and no network: it is built from an empty environment', async () => {
        const { project: p } = await run({ dryRun: true });
        const built = await createProvider(p.manifest, {});
        expect(built.name).toBe(s.provider.name);
      });
      return;
    }

    if (harness.namesTasks) {
      it('finds a create whose answer was lost by the name it recorded: made, paid once', async () => {
        s.faults!.loseNextCreateAnswer();
        const first = await run();
        expect(first.run?.counts.created).toBe(1);
        expect(first.project.lock.pending).toEqual({});
        expect(s.creates()).toBe(1);
      });
      return;
    }

    it('holds an image whose create went unanswered until --force, which pays once', async () => {
      s.faults!.loseNextCreateAnswer();
      const first = await run();
      expect(first.run?.results[0]).toMatchObject({
        outcome: 'failed',
        error: { code: 'PROVIDER_CREATE_UNCONFIRMED' },
      });
      const held = await run();
      expect(held.run?.results[0]).toMatchObject({ outcome: 'skipped', skipReason: 'unconfirmed' });
      expect(s.creates()).toBe(1);
      const forced = await run({ force: ['hero'] });
      expect(forced.run?.counts.created).toBe(1);
      expect(s.creates()).toBe(2);
    });
  });
}
