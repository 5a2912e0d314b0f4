import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../parse-manifest-text.js';
import { resolveManifest } from '../resolve-manifest.js';
import { manifestSchema, type ManifestInput } from '../schema.js';

function parse(provider: string) {
  return parseManifestText(
    `version: 1\nprovider:\n${provider}images: {}\n`,
    '/p/pixlock.yaml',
    manifestSchema,
  );
}

function diagnostics(provider: string) {
  const result = parse(provider);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.diagnostics;
}

function resolved(provider: string) {
  const result = parse(provider);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  const value = result.value as ManifestInput;
  return resolveManifest({ file: '/p/pixlock.yaml', dir: '/p', value }, []).manifest.provider;
}

describe("the manifest's provider, one form per provider", () => {
  it("refuses kinovi's settings under another provider, each at its own line, naming kinovi", () => {
    const ds = diagnostics(
      '  name: placeholder\n  baseUrl: https://kinovi.ai/api/v1\n  pollInterval: 50\n  timeout: 9000\n',
    );
    expect(ds.map((d) => [d.line, d.column, d.path.join('.')])).toEqual([
      [4, 3, 'provider.baseUrl'],
      [5, 3, 'provider.pollInterval'],
      [6, 3, 'provider.timeout'],
    ]);
    expect(ds[0]!.message).toBe(
      'unknown key "baseUrl" for the placeholder provider: it is a kinovi and gemini setting',
    );
  });

  it('still suggests the near key of the named provider', () => {
    const [d] = diagnostics('  name: kinovi\n  pollIntervall: 50\n');
    expect(d).toMatchObject({
      line: 4,
      message: 'unknown key "pollIntervall" (did you mean "pollInterval"?)',
    });
  });

  it('refuses an unknown provider at its name, listing the known ones', () => {
    const [d] = diagnostics('  name: kinov\n');
    expect(d).toMatchObject({ line: 3, column: 9 });
    expect(d!.message).toBe(
      '"kinov" is not allowed here; expected one of: placeholder, kinovi, gemini (did you mean "kinovi"?)',
    );
  });

  it('refuses a provider without a name, at the provider key', () => {
    const [d] = diagnostics('  model: nanobanana2\n');
    expect(d).toMatchObject({ line: 2, column: 1 });
    expect(d!.message).toBe('missing required key "name" (one of: placeholder, kinovi, gemini)');
  });

  it("checks a provider's own settings as before", () => {
    const [d] = diagnostics('  name: kinovi\n  pollInterval: 5\n');
    expect(d).toMatchObject({ line: 4, message: expect.stringContaining('at least 10') });
  });

  it("applies each provider's own default model, and keeps only its own settings", () => {
    expect(resolved('  name: kinovi\n')).toEqual({ name: 'kinovi', model: 'nanobanana2' });
    expect(resolved('  name: kinovi\n  model: other\n  timeout: 9000\n')).toEqual({
      name: 'kinovi',
      model: 'other',
      timeout: 9000,
    });
    // The placeholder records the model it stands in for (locks written before keep their hash).
    expect(resolved('  name: placeholder\n')).toEqual({
      name: 'placeholder',
      model: 'nanobanana2',
    });
  });

  it("refuses gemini's mode under kinovi, naming gemini", () => {
    const [d] = diagnostics('  name: kinovi\n  mode: batch\n');
    expect(d).toMatchObject({
      line: 4,
      column: 3,
      message: 'unknown key "mode" for the kinovi provider: it is a gemini setting',
    });
  });

  it('resolves gemini to its default model and interactive mode, and refuses a model id that is no id', () => {
    expect(resolved('  name: gemini\n')).toEqual({
      name: 'gemini',
      model: 'gemini-3.1-flash-image',
      mode: 'interactive',
    });
    expect(resolved('  name: gemini\n  model: gemini-3-pro-image\n  mode: batch\n')).toEqual({
      name: 'gemini',
      model: 'gemini-3-pro-image',
      mode: 'batch',
    });
    const [d] = diagnostics('  name: gemini\n  model: ../../v1/files\n');
    expect(d).toMatchObject({ line: 4, path: ['provider', 'model'] });
    const [m] = diagnostics('  name: gemini\n  mode: overnight\n');
    expect(m!.message).toContain('interactive, batch');
  });
});
