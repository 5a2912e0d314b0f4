import type { ResolvedConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import { devUrl } from './dev-url.js';

const config = (over: Partial<ResolvedConfig> = {}) =>
  ({ root: '/app', publicDir: '/app/public', base: '/', server: {}, ...over }) as ResolvedConfig;
const file = (path: string) => ({ file: path, width: 1, height: 1, sha256: 'ab'.repeat(32) });
const url = (c: ResolvedConfig, path: string) => JSON.parse(devUrl(c, file(path))) as string;

describe('devUrl', () => {
  it('serves a file under the root at its path, with the lock sha256 as cache-buster', () => {
    expect(url(config(), '/app/generated/team/ada-640.webp')).toBe(
      '/generated/team/ada-640.webp?v=abababababab',
    );
  });

  it('serves a file of the public folder at the root, as Vite does', () => {
    expect(url(config(), '/app/public/img/hero.avif')).toBe('/img/hero.avif?v=abababababab');
  });

  it('serves a file outside the root through /@fs/, under base and origin', () => {
    const c = config({
      base: '/shop/',
      server: { origin: 'http://h:1' } as ResolvedConfig['server'],
    });
    expect(url(c, '/elsewhere/my images/a.png')).toBe(
      'http://h:1/shop/@fs/elsewhere/my%20images/a.png?v=abababababab',
    );
  });
});
