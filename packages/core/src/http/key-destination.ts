import { isIP } from 'node:net';

/**
 * True for a host that is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, ::1.
 * Such a host may receive the key over plain http, since it never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Why the key must not be sent to `url`, or undefined when it may: over https anywhere, over
 * http only to loopback.
 */
export function insecureDestination(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol === 'http:') {
    return `plain http to ${url.host} would send the API key unencrypted; use https (plain http is allowed only to localhost / 127.0.0.1 / ::1)`;
  }
  return `the API key is sent only over https (or http to loopback), not ${url.protocol}`;
}
