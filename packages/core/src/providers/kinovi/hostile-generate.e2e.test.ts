import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import type { FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/run-types.js';
import { parseLock } from '../../lock/parse-lock.js';
import { generate } from '../../project/generate.js';
import { readLock } from '../../project/read-lock.js';
import { projectPaths } from '../../disk/project-paths.js';
import { kinoviProject } from '../../test-utils/kinovi-project.js';

const KEY = 'test-key';
type Setup = Awaited<ReturnType<typeof kinoviProject>>;
let setup: Setup | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

/** ESC raw, or as inspect and JSON print it. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ESCAPE = /\\u001b|\\x1b|\u001b/i;

/** Every file under `dir`, as text. */
async function allText(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), await readFile(file, 'latin1'));
  }
  return out;
}

/** Runs generate against a hostile fake; returns everything a user could see or keep. */
async function hostileRun(options: Partial<FakeKinoviOptions>) {
  setup = await kinoviProject(3, options);
  const events: EngineEvent[] = [];
  const outcome = await generate({
    config: setup.project.config,
    env: setup.env,
    onEvent: (e) => events.push(e),
  }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const seen = inspect({ outcome, events }, { depth: Infinity, showHidden: true });
  return { outcome, events, seen, files: await allText(setup.project.dir) };
}

describe('generate against a hostile server writes and shows nothing it should not', () => {
  it.each<FakeKinoviOptions['echoKey']>([
    'raw',
    'json-escaped',
    'url-encoded',
    'partial',
    'base64',
  ])(
    'a server echoing the key %s, with terminal escapes, in the errors it answers',
    async (echoKey) => {
      const { seen, files } = await hostileRun({ echoKey, hostileText: true, reject1k: true });
      expect(seen).toContain('[redacted]');
      expect(seen).toContain('forged log line'); // the text is there, its escapes are not
      for (const text of [seen, ...files.values()]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toMatch(ESCAPE);
      }
      for (const [name, text] of files) {
        if (/\.(lock|jsonl|json|yaml|d\.ts)$/.test(name)) expect(text).not.toMatch(CONTROL);
      }
    },
  );

  it('a server whose tasks fail with terminal escapes in the reason', async () => {
    const { seen, files } = await hostileRun({ hostileText: true, failRate: 1 });
    expect(seen).toContain('OK: all credits refunded');
    for (const text of [seen, ...files.values()]) expect(text).not.toMatch(ESCAPE);
  });

  it('a server reporting creditsUsed -1000 leaves a lock every later command can read', async () => {
    const { seen } = await hostileRun({ creditsUsedReport: -1000 });
    expect(seen).toContain('PROVIDER_PROTOCOL');
    const lock = await readLock(projectPaths(setup!.project.config));
    expect(JSON.stringify(lock)).not.toContain('-1000');
    const again = await generate({ config: setup!.project.config, env: setup!.env });
    expect(inspect(again)).not.toContain('LOCK_INVALID');
  });

  it('a task id above 2^53 is stored digit for digit and the image lands', async () => {
    await hostileRun({ numericTaskIds: true });
    const lock = parseLock(await setup!.project.read('pixlock.lock'), 'pixlock.lock');
    const sent = new Set(setup!.fake.tasks().map((t) => t.taskId));
    const stored = Object.values(lock.images).map((e) => (e as { taskId?: string }).taskId);
    expect(stored).toHaveLength(3);
    for (const id of stored) expect(sent.has(id!)).toBe(true);
    expect(setup!.fake.stats.creates).toBe(3);
  });
});
