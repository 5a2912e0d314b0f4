import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveMode, type CiStatus } from './plugin-options.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * detectCi in a fresh process with exactly `env` (plus PATH): ci-info reads the environment
 * once, when it is loaded, so each case needs its own process (all started at once).
 */
async function detectIn(env: Record<string, string>): Promise<CiStatus> {
  const script =
    "import('./plugin-options.ts').then((m) => process.stdout.write(JSON.stringify(m.detectCi())))";
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '-e', script],
    {
      cwd: here,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    },
  );
  return JSON.parse(stdout) as CiStatus;
}

const JENKINS = { JENKINS_URL: 'https://jenkins.example/', BUILD_ID: '7' };
const cases: [Record<string, string>, boolean][] = [
  [{}, false],
  [{ CI: 'true' }, true],
  [{ CI: '1' }, true],
  [{ CI: 'woodpecker' }, true],
  [{ CI: '' }, false],
  [{ CI: 'false' }, false],
  [{ CI: '0' }, false],
  // Jenkins sets no CI variable: reading CI alone would let a build spend credits there.
  [JENKINS, true],
  [{ TEAMCITY_VERSION: '2024.1' }, true],
  [{ BUILD_BUILDID: '1', TF_BUILD: 'True' }, true],
  [{ BITBUCKET_COMMIT: 'abc' }, true],
  [{ CI: 'false', ...JENKINS }, false],
];

describe('detectCi', () => {
  const found: CiStatus[] = [];
  beforeAll(async () => {
    found.push(...(await Promise.all(cases.map(([env]) => detectIn(env)))));
  }, 60_000);

  it.each(cases.map((c, i) => [...c, i] as const))('env %o is CI: %s', (_env, isCI, i) => {
    expect(found[i]!.isCI).toBe(isCI);
  });

  it('names the CI system it found', () => {
    expect(found[cases.findIndex(([env]) => env === JENKINS)]!.name).toBe('Jenkins');
  });
});

describe('resolveMode', () => {
  const ci = { isCI: true, name: 'Jenkins', reason: 'Jenkins was detected' };
  const local = { isCI: false, name: null, reason: 'no CI server was detected' };

  it('auto is frozen on CI and generates elsewhere', () => {
    expect(resolveMode('auto', ci).frozen).toBe(true);
    expect(resolveMode('auto', local).frozen).toBe(false);
  });

  it('explicit modes ignore CI', () => {
    expect(resolveMode('generate', ci)).toEqual({ frozen: false, reason: 'mode is "generate"' });
    expect(resolveMode('frozen', local)).toEqual({ frozen: true, reason: 'mode is "frozen"' });
  });

  it('says why auto froze, for the error message', () => {
    expect(resolveMode(undefined, ci).reason).toBe(
      'Jenkins was detected, so mode "auto" is frozen',
    );
  });

  it('rejects an unknown mode loudly', () => {
    expect(() => resolveMode('fast' as never, local)).toThrow(TypeError);
  });
});
