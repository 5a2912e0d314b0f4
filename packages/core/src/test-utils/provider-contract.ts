import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { sha256 } from '../util/sha256.js';
import type { GenerationRequest } from '../providers/image-provider.js';
import { runContract } from './contract-runs.js';
import {
  contractRequest,
  ctx,
  recordedNames,
  ended,
  everything,
  polledToEnd,
  resultBytes,
  type ContractHarness,
  type ContractSubject,
} from './contract-subject.js';

/**
 * What every provider must do for the engine to drive it without knowing its name: declare
 * its capabilities truthfully, create and end a task (or a synchronous call), give a result
 * that is an image at its list price, take references the way it declares, turn faults into
 * the codes the engine acts on (an answer lost is "may have been charged", never sent again),
 * let a new client resume a recorded task, and never show its key. contract-runs.ts then
 * drives it through `generate` end to end.
 */
export function providerContract(name: string, harness: ContractHarness): void {
  describe(`${name}: the provider contract`, () => {
    let s: ContractSubject;
    const request = () => contractRequest(s.model ? { model: s.model } : {});
    beforeEach(async () => {
      s = await harness.setup();
    });
    afterEach(() => harness.teardown());

    it('has the capabilities its descriptor declares, and the methods they need', () => {
      expect(s.provider.capabilities).toEqual(s.declared);
      expect(s.declared.taskNames === 'client').toBe(harness.namesTasks === true);
      const uploads = s.declared.references === 'uploads';
      expect(typeof s.provider.uploadReference === 'function').toBe(uploads);
      expect(typeof s.provider.uploadOriginal === 'function').toBe(uploads);
    });

    it('creates, waits and gives an image of the kind it declares, at its list price', async () => {
      const { taskId, status } = await ended(s.provider, request());
      expect(taskId).toMatch(/^[\x21-\x7e]{1,200}$/); // what the lock can hold
      if (status.state !== 'success') throw new Error(`ended ${JSON.stringify(status)}`);
      expect('bytes' in status.output ? 'bytes' : 'url').toBe(s.declared.results);
      const bytes = await resultBytes(s.provider, status.output);
      const { width, height } = await sharp(bytes).metadata();
      expect(width! * height!).toBeGreaterThan(0);
      expect(status.creditsUsed).toBe(s.listPrice(request()));
      expect(s.creates()).toBe(1);
    });

    it('takes references the way it declares: what reaches its side is what was sent', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-contract-refs-'));
      try {
        const png = (r: number) =>
          sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g: 0, b: 0 } } })
            .png()
            .toBuffer();
        const file = path.join(dir, 'style.png');
        const fileBytes = await png(200);
        await writeFile(file, fileBytes);
        const original = await png(90);
        const url = 'https://example.test/mood.png';
        const r = request();
        const expected = await sendReferences(s, r, { url, file, fileBytes, original });
        const { taskId, status } = await ended(s.provider, r);
        if (status.state !== 'success') throw new Error(`ended ${JSON.stringify(status)}`);
        expect(expected.length).toBeGreaterThan(0);
        expect((await s.received(taskId, r, status.output)).sort()).toEqual(expected.sort());
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    if (harness.namesTasks) {
      it('names a task before sending it: a new client resumes it by that name, paying once', async () => {
        recordedNames.length = 0;
        const r = request();
        const { taskId } = await s.provider.createTask(r, ctx);
        // What a run killed right after recording (the create on its way) left in the lock.
        const named = recordedNames.at(-1)!;
        expect(named).toMatch(/^[\x21-\x7e]{1,200}$/);
        const next = await s.again();
        expect((await polledToEnd(next, named, r)).state).toBe('success');
        expect((await polledToEnd(s.provider, taskId, r)).state).toBe('success');
        expect(s.creates()).toBe(1);
      });
    }

    it('lets a new client resume a recorded task; a synchronous call has none to resume', async () => {
      const r = request();
      const { taskId, status } = await s.provider.createTask(r, ctx);
      const next = await s.again();
      if (s.declared.calls === 'sync') {
        expect(status?.state).toBe('success');
        const lost = await next.pollTask(taskId, r, ctx).catch((e: unknown) => e);
        expect(isPixlockError(lost, 'PROVIDER_TASK_LOST')).toBe(true);
      } else {
        expect(status).toBeUndefined();
        expect((await polledToEnd(next, taskId, r)).state).toBe('success');
      }
      expect(s.creates()).toBe(1);
    });
  });
  // A provider that meets no network has no faults to meet and no key to keep.
  if (!harness.offline) faultContract(name, harness);
  runContract(name, harness);
}

function faultContract(name: string, harness: ContractHarness): void {
  describe(`${name}: faults and the key`, () => {
    let s: ContractSubject;
    let f: NonNullable<ContractSubject['faults']>;
    const request = () => contractRequest(s.model ? { model: s.model } : {});
    beforeEach(async () => {
      s = await harness.setup();
      if (!s.faults) throw new Error(`${name}: a harness with a network must script its faults`);
      f = s.faults;
    });
    afterEach(() => harness.teardown());

    it('turns a refusal before anything happened into a fault to retry, paying nothing', async () => {
      const on = s.declared.calls === 'sync' ? 'create' : 'poll';
      const r = request();
      const created = on === 'poll' ? await s.provider.createTask(r, ctx) : undefined;
      f.failNext(on);
      const call =
        on === 'create'
          ? s.provider.createTask(r, ctx)
          : s.provider.pollTask(created!.taskId, r, ctx);
      const error = await call.catch((e: unknown) => e);
      expect(isPixlockError(error, 'PROVIDER_UNAVAILABLE', 'PROVIDER_RATE_LIMITED')).toBe(true);
      expect(s.creates()).toBe(on === 'create' ? 0 : 1);
      const again = created
        ? await polledToEnd(s.provider, created.taskId, r)
        : (await ended(s.provider, r)).status;
      expect(again.state).toBe('success');
    });

    it('says a create whose answer was lost may have been charged, and does not send it again', async () => {
      f.loseNextCreateAnswer();
      const r = request();
      const outcome = await s.provider.createTask(r, ctx).catch((e: unknown) => e);
      if (harness.namesTasks) {
        // It finds its task again by the name it gave it before sending: nothing is unknown.
        if (isPixlockError(outcome)) throw outcome;
        const { taskId } = outcome as { taskId: string };
        expect((await polledToEnd(s.provider, taskId, r)).state).toBe('success');
      } else expect(isPixlockError(outcome, 'PROVIDER_CREATE_UNCONFIRMED')).toBe(true);
      expect(s.creates()).toBe(1);
    });

    it('never shows its key: not when the server echoes it, not when it refuses it', async () => {
      f.rejectNextCreate(`bad request from key ${f.key} (${encodeURIComponent(f.key)})`);
      const echoed = await s.provider.createTask(request(), ctx).catch((e: unknown) => e);
      expect(isPixlockError(echoed, 'PROVIDER_BAD_REQUEST')).toBe(true);
      expect(everything(echoed)).toContain('[redacted]');
      const refused = await (
        await f.withRefusedKey()
      )
        .createTask(request(), ctx)
        .catch((e: unknown) => e);
      expect(isPixlockError(refused, 'PROVIDER_AUTH')).toBe(true);
      for (const error of [echoed, refused]) {
        expect(everything(error)).not.toContain(f.key);
        expect(everything(error)).not.toContain(encodeURIComponent(f.key));
      }
    });
  });
}

/**
 * Puts references on a request the way the engine does for the provider's capabilities, and
 * returns what its side should receive: a public URL, a local file and another image's original.
 */
async function sendReferences(
  s: ContractSubject,
  r: GenerationRequest,
  refs: { url: string; file: string; fileBytes: Buffer; original: Buffer },
): Promise<string[]> {
  const { provider } = s;
  const uses = (kind: 'url' | 'file') => !s.ignores?.includes(kind);
  switch (s.declared.references) {
    case 'urls':
      r.references = [refs.url];
      return uses('url') ? [refs.url] : [];
    case 'uploads': {
      const original = await provider.uploadOriginal!(refs.original, 'image/png', r, ctx);
      const file = await provider.uploadReference!(refs.file, r, ctx);
      r.references = [original, refs.url, file];
      return [original, ...(uses('url') ? [refs.url] : []), ...(uses('file') ? [file] : [])];
    }
    case 'inline': {
      const image = { sha256: sha256(refs.original), mediaType: 'image/png', bytes: refs.original };
      const file = {
        sha256: sha256(refs.fileBytes),
        mediaType: 'image/png',
        bytes: refs.fileBytes,
      };
      r.references = [refs.url];
      r.inlineReferences = [
        { image: 'characters/mia', ...image },
        { file: refs.file, ...file },
      ];
      return [
        ...(uses('url') ? [refs.url] : []),
        image.sha256,
        ...(uses('file') ? [file.sha256] : []),
      ];
    }
  }
}
