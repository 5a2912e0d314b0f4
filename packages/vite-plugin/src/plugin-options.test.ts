import { describe, expect, it } from 'vitest';
import { resolveMode } from './plugin-options.js';

describe('resolveMode', () => {
  it.each([
    [{}, false],
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: 'woodpecker' }, true],
    [{ CI: '' }, false],
    [{ CI: 'false' }, false],
    [{ CI: '0' }, false],
  ])('auto with env %o is frozen: %s', (env, frozen) => {
    expect(resolveMode('auto', env).frozen).toBe(frozen);
  });

  it('explicit modes ignore CI', () => {
    expect(resolveMode('generate', { CI: 'true' })).toEqual({
      frozen: false,
      reason: 'mode is "generate"',
    });
    expect(resolveMode('frozen', {})).toEqual({ frozen: true, reason: 'mode is "frozen"' });
  });

  it('says why auto froze, for the error message', () => {
    expect(resolveMode(undefined, { CI: 'true' }).reason).toBe(
      'CI is set, so mode "auto" is frozen',
    );
  });

  it('rejects an unknown mode loudly', () => {
    expect(() => resolveMode('fast' as never, {})).toThrow(TypeError);
  });
});
